import { createHash } from "node:crypto";
import { type Channel, ChannelError, type Notification } from "./channel.ts";
import { baseScheme, channelConfigError, commonOptions, decodePart, listParam } from "./channel-options.ts";
import { escapeHtml } from "./escape.ts";
import { JSON_HEADERS } from "./http-channel.ts";
import { sendHttp } from "./http-send.ts";
import { detailText, headline } from "./message-text.ts";

/**
 * Matrix client-server API (spec.matrix.org, "PUT /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}"):
 * `matrix://:ACCESSTOKEN@homeserver[:port]/?rooms=!roomid:server,alias:server[,...]` (`?scheme=http` for a
 * homeserver on the LAN). A room is an id (`!...`) or an alias, written without its `#` (which would
 * start the URL's fragment) or as `%23`, as in Shoutrrr; aliases are resolved through the room directory
 * once per channel. The bot must already be in the rooms. One m.room.message (m.text) per room, with a plain
 * `body` and an HTML `formatted_body` built only from escaped text. The transaction id is derived from
 * the dedup key, so the engine's resend of the same notification is deduplicated by the homeserver
 * (the spec makes a repeated txnId idempotent for the same access token).
 */

const SCHEME = "matrix";

export function matrixChannel(name: string, url: URL): Channel {
  const options = commonOptions(name, SCHEME, url, ["rooms", "scheme"]);
  const token = decodePart(name, SCHEME, url.password);
  const rooms = listParam(url, "rooms").map((r) => (r.startsWith("!") || r.startsWith("#") ? r : `#${r}`));
  if (
    token === "" ||
    url.host === "" ||
    rooms.length === 0 ||
    rooms.some((r) => !/^[!#][^:\s]+:\S+$/.test(r))
  ) {
    throw channelConfigError(
      name,
      SCHEME,
      "expected matrix://:ACCESSTOKEN@homeserver/?rooms=!roomid:server,alias:server (aliases without #)",
    );
  }
  const base = options.endpoint ?? `${baseScheme(name, SCHEME, url)}://${url.host}`;
  const headers = { ...JSON_HEADERS, authorization: `Bearer ${token}` };
  const common = {
    headers,
    timeoutMs: options.timeoutMs,
    secrets: [token],
    label: `${SCHEME} channel ${name}`,
  };
  const roomIds = new Map<string, string>();

  async function roomId(room: string, signal?: AbortSignal): Promise<string> {
    if (room.startsWith("!")) return room;
    const known = roomIds.get(room);
    if (known !== undefined) return known;
    // GET /_matrix/client/v3/directory/room/{roomAlias} -> {room_id, servers}.
    const text = await sendHttp({
      ...common,
      method: "GET",
      url: `${base}/_matrix/client/v3/directory/room/${encodeURIComponent(room)}`,
      body: null,
      signal,
    });
    const id = roomIdOf(text);
    if (typeof id !== "string" || !id.startsWith("!")) {
      throw new ChannelError(`${common.label}: the directory gave no room id for ${room}`, "permanent");
    }
    roomIds.set(room, id);
    return id;
  }

  return {
    name,
    scheme: SCHEME,
    redacted: `matrix://***@${url.host}/?rooms=${rooms.join(",")}`,
    async send(n: Notification, signal?: AbortSignal): Promise<void> {
      for (const room of rooms) {
        const id = await roomId(room, signal);
        await sendHttp({
          ...common,
          method: "PUT",
          url: `${base}/_matrix/client/v3/rooms/${encodeURIComponent(id)}/send/m.room.message/${transactionId(n)}`,
          body: JSON.stringify(matrixMessage(n)),
          retryAfterFromBody,
          signal,
        });
      }
    },
  };
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

function roomIdOf(directoryAnswer: string): unknown {
  try {
    return (JSON.parse(directoryAnswer) as { room_id?: unknown }).room_id;
  } catch {
    return undefined;
  }
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
