import type { Channel, Notification } from "./channel.ts";
import { sendHttp } from "./http-send.ts";

/**
 * Builds a Channel from a scheme's request builder: the scheme module says what to send, this says how
 * (through sendHttp, in order, one request per target). A scheme with several targets (Telegram chats,
 * Matrix rooms) stops at the first failing one; the engine's retry of the same dedup key then resumes
 * there instead of sending the earlier targets a second copy. Progress is kept in memory only, so after
 * a restart the resend goes to all targets again: at least once, as the outbox promises.
 */

/** Partly delivered notifications remembered at most: a channel down for hours must not grow without bound. */
const MAX_PARTIAL = 1000;

export interface HttpRequestParts {
  method: "POST" | "PUT";
  url: string;
  headers: Record<string, string>;
  body: string;
  retryAfterFromBody?: (body: string) => number | null;
}

export interface HttpChannelSpec {
  name: string;
  scheme: string;
  redacted: string;
  timeoutMs: number;
  secrets: readonly string[];
  requests: (notification: Notification) => HttpRequestParts[];
}

export function httpChannel(spec: HttpChannelSpec): Channel {
  const label = `${spec.scheme} channel ${spec.name}`;
  // dedup key -> indexes of the requests already delivered, for notifications not yet fully delivered.
  const partial = new Map<string, Set<number>>();
  return {
    name: spec.name,
    scheme: spec.scheme,
    redacted: spec.redacted,
    async send(notification: Notification, signal?: AbortSignal): Promise<void> {
      const requests = spec.requests(notification);
      const done = partial.get(notification.dedupKey) ?? new Set<number>();
      for (const [index, parts] of requests.entries()) {
        if (done.has(index)) continue;
        try {
          await sendHttp({ ...parts, timeoutMs: spec.timeoutMs, secrets: spec.secrets, label, signal });
        } catch (err) {
          if (done.size > 0) remember(partial, notification.dedupKey, done);
          throw err;
        }
        done.add(index);
      }
      partial.delete(notification.dedupKey);
    },
  };
}

function remember(partial: Map<string, Set<number>>, key: string, done: Set<number>): void {
  partial.delete(key);
  partial.set(key, done);
  const oldest = partial.keys().next().value;
  if (partial.size > MAX_PARTIAL && oldest !== undefined) partial.delete(oldest);
}

export const JSON_HEADERS = { "content-type": "application/json" } as const;
