import { type Channel, ChannelError, type Notification } from "@infrastructor/lib/notify/channel.ts";

/** One request a receiver took (answered 2xx or not). */
export interface Received {
  dedupKey: string;
  title: string;
  kind: string;
  hosts: string[];
  status: number;
}

/**
 * A real HTTP receiver for the alert tests: records every POST and answers what `respond` says
 * (200 unless told). It stands in for a channel's service until the real channel modules land.
 */
export interface Receiver {
  url: string;
  received: Received[];
  /** The requests answered 2xx: what was delivered. */
  delivered(): Received[];
  respond: (request: number) => { status: number; retryAfterS?: number };
  stop(): Promise<void>;
}

export function startReceiver(): Receiver {
  const receiver: Receiver = {
    url: "",
    received: [],
    delivered: () => receiver.received.filter((r) => r.status < 300),
    respond: () => ({ status: 200 }),
    stop: async () => {
      await server.stop(true);
    },
  };
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      const body = (await request.json()) as Omit<Received, "status">;
      const { status, retryAfterS } = receiver.respond(receiver.received.length);
      receiver.received.push({ ...body, status });
      const headers: Record<string, string> =
        retryAfterS === undefined ? {} : { "retry-after": String(retryAfterS) };
      return new Response(status < 300 ? "ok" : "no", { status, headers });
    },
  });
  receiver.url = `http://127.0.0.1:${server.port}/`;
  return receiver;
}

/** A minimal webhook-like Channel: POSTs the notification as JSON; 5xx/429/network: retry; other 4xx: permanent. */
export function testChannel(name: string, url: string): Channel {
  return {
    name,
    scheme: "test",
    redacted: url,
    async send(n: Notification, signal?: AbortSignal): Promise<void> {
      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", "x-dedup-key": n.dedupKey },
          body: JSON.stringify({ dedupKey: n.dedupKey, title: n.title, kind: n.kind, hosts: n.hosts }),
          ...(signal === undefined ? {} : { signal }),
        });
      } catch (error) {
        throw new ChannelError(`${name}: unreachable`, "retry", null, { cause: error });
      }
      if (response.ok) return;
      const retryAfter = response.headers.get("retry-after");
      const retryAfterMs = retryAfter === null ? null : Number(retryAfter) * 1000;
      const retry = response.status >= 500 || response.status === 429;
      throw new ChannelError(`${name}: HTTP ${response.status}`, retry ? "retry" : "permanent", retryAfterMs);
    },
  };
}
