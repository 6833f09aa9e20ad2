import type { Channel } from "@infrastructor/lib/notify/channel.ts";
import { channelFromUrl } from "@infrastructor/lib/notify/channel-url.ts";
import { startHttpReceiver } from "@infrastructor/lib/testing/http-receiver.ts";

/** One notification a sink took (answered 2xx or not), from the webhook channel's JSON body. */
export interface Received {
  dedupKey: string;
  title: string;
  kind: string;
  hosts: string[];
  status: number;
}

/**
 * A real HTTP receiver behind the real webhook channel, for the alert engine's tests: it records what
 * each request carried and answers what `respond` says (200 unless told), so a test drives outages
 * and recoveries by status codes, not by mocks.
 */
export interface WebhookSink {
  /** The webhook channel URL that posts here. */
  readonly url: string;
  received: Received[];
  /** The requests answered 2xx: what was delivered. */
  delivered(): Received[];
  respond: (request: number) => { status: number; retryAfterS?: number };
  /** A webhook channel named `name` that posts here. */
  channel(name: string): Channel;
  stop(): Promise<void>;
}

export function startWebhookSink(): WebhookSink {
  const received: Received[] = [];
  const sink: WebhookSink = {
    get url() {
      return `webhook+http://${new URL(receiver.url).host}/hook`;
    },
    received,
    delivered: () => received.filter((r) => r.status < 300),
    respond: () => ({ status: 200 }),
    channel: (name) => channelFromUrl(name, sink.url),
    stop: () => receiver.stop(),
  };
  const receiver = startHttpReceiver((request) => {
    const body = JSON.parse(request.body) as {
      dedup_key: string;
      title: string;
      kind: string;
      hosts: string[];
    };
    const { status, retryAfterS } = sink.respond(received.length);
    received.push({
      dedupKey: body.dedup_key,
      title: body.title,
      kind: body.kind,
      hosts: body.hosts,
      status,
    });
    const headers: Record<string, string> =
      retryAfterS === undefined ? {} : { "retry-after": String(retryAfterS) };
    return new Response(status < 300 ? "{}" : "no", { status, headers });
  });
  return sink;
}
