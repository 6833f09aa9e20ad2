import type { Channel, Notification } from "./channel.ts";
import { baseScheme, channelConfigError, commonOptions, decodePart, listParam } from "./channel-options.ts";
import { httpChannel, JSON_HEADERS } from "./http-channel.ts";
import { detailText, effectiveSeverity, headline, isLoud, truncate } from "./message-text.ts";

/**
 * ntfy (docs.ntfy.sh/publish): `ntfy://[user:password@]host[:port]/topic`, `ntfy://:token@host/topic`
 * (an access token, sent as Bearer), or `ntfy:///topic` for the public ntfy.sh. Published as JSON to the
 * server's root (docs.ntfy.sh/publish/#publish-as-json) rather than with Title/Priority/Tags headers:
 * the same fields, but a title from a hostname can then never inject a header, and UTF-8 titles need no
 * RFC 2047 encoding. The topic is treated as a secret: on ntfy.sh whoever knows it can read it.
 */

const PUBLIC_HOST = "ntfy.sh";
const SCHEME = "ntfy";

const TAG_BY_STATE = {
  critical: "rotating_light",
  warning: "warning",
  info: "information_source",
  resolved: "white_check_mark",
} as const;

export function ntfyChannel(name: string, url: URL): Channel {
  const options = commonOptions(name, SCHEME, url, ["scheme", "tags"]);
  // An empty host (`ntfy:///topic`) means the public server. Apprise's `ntfy://topic` is not accepted:
  // `ntfy://nas` meant as a server without a topic would then publish alerts to a public topic "nas".
  const host = url.host === "" ? PUBLIC_HOST : url.host;
  const topic = decodePart(name, SCHEME, url.pathname.replace(/^\/+|\/+$/g, ""));
  if (!/^[-_A-Za-z0-9]{1,64}$/.test(topic)) {
    throw channelConfigError(
      name,
      SCHEME,
      "expected ntfy://[user:password@]host/topic (topic: letters, digits, - and _)",
    );
  }
  const user = decodePart(name, SCHEME, url.username);
  const password = decodePart(name, SCHEME, url.password);
  const headers: Record<string, string> = { ...JSON_HEADERS };
  if (password !== "") {
    headers.authorization =
      user === "" ? `Bearer ${password}` : `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  }
  const base = options.endpoint ?? `${baseScheme(name, SCHEME, url)}://${host}`;
  const extraTags = listParam(url, "tags");
  return httpChannel({
    name,
    scheme: SCHEME,
    redacted: `ntfy://${password === "" ? "" : "***@"}${host}/***`,
    timeoutMs: options.timeoutMs,
    secrets: [topic, password, (headers.authorization ?? "").replace(/^(Basic|Bearer) /, "")],
    requests: (n) => [
      { method: "POST", url: `${base}/`, headers, body: JSON.stringify(ntfyMessage(topic, n, extraTags)) },
    ],
  });
}

/** ntfy priorities: 5 urgent, 4 high, 3 default (docs.ntfy.sh/publish/#message-priority). */
function ntfyMessage(topic: string, n: Notification, extraTags: readonly string[]): Record<string, unknown> {
  const severity = effectiveSeverity(n);
  const priority = isLoud(n) ? 5 : severity === "info" ? 3 : 4;
  const stateTag = n.kind === "resolved" ? TAG_BY_STATE.resolved : TAG_BY_STATE[severity];
  return {
    topic,
    title: truncate(headline(n), 250),
    message: truncate(detailText(n), 4000),
    priority,
    tags: [stateTag, ...extraTags],
  };
}
