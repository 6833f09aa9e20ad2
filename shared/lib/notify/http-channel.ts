import type { Channel, Notification } from "./channel.ts";
import { sendHttp } from "./http-send.ts";

/**
 * Builds a Channel from a scheme's request builder: the scheme module says what to send, this says how
 * (through sendHttp, in order, one request per target). A scheme with several targets (Telegram chats,
 * Matrix rooms) fails on the first failing one; the engine's retry then resends to all, which is the
 * at-least-once the outbox promises.
 */

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
  return {
    name: spec.name,
    scheme: spec.scheme,
    redacted: spec.redacted,
    async send(notification: Notification, signal?: AbortSignal): Promise<void> {
      for (const parts of spec.requests(notification)) {
        await sendHttp({ ...parts, timeoutMs: spec.timeoutMs, secrets: spec.secrets, label, signal });
      }
    },
  };
}

export const JSON_HEADERS = { "content-type": "application/json" } as const;
