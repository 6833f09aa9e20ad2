import type { Channel, Notification } from "./channel.ts";
import { COMMON_PARAMS, channelConfigError, commonOptions, decodePart } from "./channel-options.ts";
import { httpChannel, JSON_HEADERS } from "./http-channel.ts";

/**
 * Generic webhook: `webhook+https://[user:password@]host[:port]/path[?query]` (or `webhook+http://`).
 * POSTs the notification as JSON `{dedup_key, kind, severity, title, body, hosts, at}` for receivers
 * we do not know (n8n, Home Assistant, a script). The dedup key also goes in `Idempotency-Key`, so a
 * receiver can drop the engine's resend. The path and query are treated as secrets: webhook URLs
 * usually carry their token there. The receiver's own query parameters pass through untouched, except
 * ours (`endpoint`, `timeout`).
 */

export function webhookChannel(name: string, url: URL): Channel {
  const scheme = url.protocol.replace(/:$/, "");
  const options = commonOptions(name, scheme, url, [...url.searchParams.keys()]);
  if (url.hostname === "") throw channelConfigError(name, scheme, "expected webhook+https://host/path");
  const target = new URL(`${scheme.replace(/^webhook\+/, "")}://${url.host}${url.pathname}`);
  for (const [key, value] of url.searchParams) {
    if (!(COMMON_PARAMS as readonly string[]).includes(key)) target.searchParams.append(key, value);
  }
  const user = decodePart(name, scheme, url.username);
  const password = decodePart(name, scheme, url.password);
  const headers: Record<string, string> = { ...JSON_HEADERS };
  if (user !== "" || password !== "") {
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  }
  const to =
    options.endpoint === null ? target.href : `${options.endpoint}${target.pathname}${target.search}`;
  const pathSecrets = target.pathname.split("/").filter((s) => s !== "");
  return httpChannel({
    name,
    scheme,
    redacted: `${scheme}://${password === "" ? "" : "***@"}${url.host}/***`,
    timeoutMs: options.timeoutMs,
    secrets: [
      password,
      (headers.authorization ?? "").replace(/^(Basic|Bearer) /, ""),
      ...pathSecrets,
      ...target.searchParams.values(),
    ],
    requests: (n) => [
      {
        method: "POST",
        url: to,
        headers: { ...headers, "idempotency-key": n.dedupKey },
        body: JSON.stringify(webhookBody(n)),
      },
    ],
  });
}

function webhookBody(n: Notification): Record<string, unknown> {
  return {
    dedup_key: n.dedupKey,
    kind: n.kind,
    severity: n.severity,
    title: n.title,
    body: n.body,
    hosts: n.hosts,
    at: n.at.toISOString(),
  };
}
