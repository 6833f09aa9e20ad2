/**
 * A real HTTP server on 127.0.0.1 standing in for a notification service (ntfy, Discord, ...): it
 * records every request as received and answers from a script, so a test checks the documented request
 * format and drives each failure mode (500, 429, 400, slow, redirect) without mocking fetch.
 */

export interface ReceivedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: string;
}

export type Reply = (request: ReceivedRequest) => Response | Promise<Response>;

export interface HttpReceiver {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Queues replies used one per request, in order; when the queue is empty the default reply answers. */
  reply(...replies: Reply[]): void;
  stop(): Promise<void>;
}

export function startHttpReceiver(defaultReply: Reply = () => Response.json({})): HttpReceiver {
  const requests: ReceivedRequest[] = [];
  const queue: Reply[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const url = new URL(req.url);
      const received: ReceivedRequest = {
        method: req.method,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: await req.text(),
      };
      requests.push(received);
      return (queue.shift() ?? defaultReply)(received);
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    reply: (...replies) => queue.push(...replies),
    stop: () => server.stop(true),
  };
}

/** A port that was just listening and is now closed: connecting to it is refused. */
export async function closedPortUrl(): Promise<string> {
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const url = `http://127.0.0.1:${server.port}`;
  await server.stop(true);
  return url;
}

/** Replies after `ms`: longer than the channel's timeout, it makes the send time out. */
export function slowReply(ms: number, response: () => Response = () => Response.json({})): Reply {
  return async () => {
    await Bun.sleep(ms);
    return response();
  };
}
