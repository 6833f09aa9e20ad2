import type { Channel, Notification } from "./channel.ts";
import { baseScheme, channelConfigError, commonOptions, decodePart } from "./channel-options.ts";
import { httpChannel, JSON_HEADERS } from "./http-channel.ts";
import { detailText, effectiveSeverity, headline, isLoud } from "./message-text.ts";

/**
 * Gotify (gotify.net/docs/pushmsg): `gotify://host[:port][/path]/apptoken` (Shoutrrr's form; `?scheme=http`
 * for a server on the LAN without TLS). POSTs JSON {title, message, priority, extras} to `/message`
 * with the application token in the `X-Gotify-Key` header rather than `?token=`, so the token never
 * sits in a URL a proxy might log. The message is marked text/plain (gotify.net/docs/msgextras) so
 * Markdown in a log line is shown, not rendered.
 */

const SCHEME = "gotify";

export function gotifyChannel(name: string, url: URL): Channel {
  const options = commonOptions(name, SCHEME, url, ["scheme"]);
  const parts = url.pathname.split("/").filter((s) => s !== "");
  const token = decodePart(name, SCHEME, parts.pop() ?? "");
  if (url.host === "" || token === "") {
    throw channelConfigError(name, SCHEME, "expected gotify://host[/path]/apptoken");
  }
  const prefix = parts.length > 0 ? `/${parts.join("/")}` : "";
  const base = options.endpoint ?? `${baseScheme(name, SCHEME, url)}://${url.host}${prefix}`;
  const headers = { ...JSON_HEADERS, "x-gotify-key": token };
  return httpChannel({
    name,
    scheme: SCHEME,
    redacted: `gotify://${url.host}${prefix}/***`,
    timeoutMs: options.timeoutMs,
    secrets: [token],
    requests: (n) => [
      { method: "POST", url: `${base}/message`, headers, body: JSON.stringify(gotifyMessage(n)) },
    ],
  });
}

/** Gotify priorities: 8+ high (sound and heads-up on Android), 4-7 normal, 1-3 low. */
function gotifyMessage(n: Notification): Record<string, unknown> {
  const priority = isLoud(n) ? 8 : effectiveSeverity(n) === "info" ? 3 : 5;
  return {
    title: headline(n),
    message: detailText(n),
    priority,
    extras: { "client::display": { contentType: "text/plain" } },
  };
}
