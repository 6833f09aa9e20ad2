import { createHash } from "node:crypto";
import type { Channel, Notification } from "./channel.ts";
import { baseScheme, channelConfigError, commonOptions, decodePart, listParam } from "./channel-options.ts";
import { escapeHtml } from "./escape.ts";
import { httpChannel, JSON_HEADERS } from "./http-channel.ts";
import { detailText, headline } from "./message-text.ts";

/**
 * Matrix client-server API (spec.matrix.org, "PUT /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}"):
 * `matrix://:ACCESSTOKEN@homeserver[:port]/?rooms=!roomid:server[,...]` (`?scheme=http` for a homeserver
 * on the LAN). The bot must already be in the rooms. One m.room.message (m.text) per room, with a plain
 * `body` and an HTML `formatted_body` built only from escaped text. The transaction id is derived from
 * the dedup key, so the engine's resend of the same notification is deduplicated by the homeserver
 * (the spec makes a repeated txnId idempotent for the same access token).
 */

const SCHEME = "matrix";

export function matrixChannel(name: string, url: URL): Channel {
  const options = commonOptions(name, SCHEME, url, ["rooms", "scheme"]);
  const token = decodePart(name, SCHEME, url.password);
  const rooms = listParam(url, "rooms");
  if (token === "" || url.host === "" || rooms.length === 0 || rooms.some((r) => !/^![^:\s]+:\S+$/.test(r))) {
    throw channelConfigError(
      name,
      SCHEME,
      "expected matrix://:ACCESSTOKEN@homeserver/?rooms=!roomid:server[,...]",
    );
  }
  const base = options.endpoint ?? `${baseScheme(name, SCHEME, url)}://${url.host}`;
  const headers = { ...JSON_HEADERS, authorization: `Bearer ${token}` };
  return httpChannel({
    name,
    scheme: SCHEME,
    redacted: `matrix://***@${url.host}/?rooms=${rooms.join(",")}`,
    timeoutMs: options.timeoutMs,
    secrets: [token],
    requests: (n) =>
      rooms.map((room) => ({
        method: "PUT" as const,
        url: `${base}/_matrix/client/v3/rooms/${encodeURIComponent(room)}/send/m.room.message/${transactionId(n)}`,
        headers,
        body: JSON.stringify(matrixMessage(n)),
        retryAfterFromBody,
      })),
  });
}

function matrixMessage(n: Notification): Record<string, unknown> {
  const title = headline(n);
  const detail = detailText(n);
  return {
    msgtype: "m.text",
    body: `${title}\n${detail}`,
    format: "org.matrix.custom.html",
    formatted_body: `<strong>${escapeHtml(title)}</strong><br>${escapeHtml(detail).replace(/\n/g, "<br>")}`,
  };
}

/** Stable per dedup key and URL-safe: the same notification sent twice is one event. */
function transactionId(n: Notification): string {
  return `infra-${createHash("sha256").update(n.dedupKey).digest("hex").slice(0, 32)}`;
}

/** M_LIMIT_EXCEEDED carries `retry_after_ms` in the body (spec: "Rate limiting"). */
function retryAfterFromBody(body: string): number | null {
  try {
    const ms = (JSON.parse(body) as { retry_after_ms?: unknown }).retry_after_ms;
    return typeof ms === "number" && ms >= 0 ? ms : null;
  } catch {
    return null;
  }
}
