import type { Channel, Notification } from "./channel.ts";
import { channelConfigError, commonOptions, decodePart, listParam } from "./channel-options.ts";
import { httpChannel } from "./http-channel.ts";
import { detailText, effectiveSeverity, headline, isLoud, truncate } from "./message-text.ts";

/**
 * Pushover (pushover.net/api): `pushover://shoutrrr:APITOKEN@USERKEY/?devices=phone,tablet` (Shoutrrr's
 * form; the URL user part is ignored). Form-encoded POST to /1/messages.json, the API's documented
 * encoding. Priority by severity: a firing critical is high (1, bypasses quiet hours), warning normal
 * (0), info and resolved quiet (-1). Emergency (2) is not used: it needs retry/expire and an
 * acknowledgement flow that belongs to the alert engine, not the channel. Messages are plain text (no
 * `html=1`), so host-controlled text cannot inject markup.
 */

const SCHEME = "pushover";
const API = "https://api.pushover.net";

export function pushoverChannel(name: string, url: URL): Channel {
  const options = commonOptions(name, SCHEME, url, ["devices"]);
  const token = decodePart(name, SCHEME, url.password);
  const user = decodePart(name, SCHEME, url.hostname);
  if (token === "" || user === "" || url.pathname.replace(/\//g, "") !== "") {
    throw channelConfigError(name, SCHEME, "expected pushover://shoutrrr:APITOKEN@USERKEY/?devices=...");
  }
  const devices = listParam(url, "devices");
  const base = options.endpoint ?? API;
  return httpChannel({
    name,
    scheme: SCHEME,
    redacted: `pushover://***@***${devices.length > 0 ? `/?devices=${devices.join(",")}` : ""}`,
    timeoutMs: options.timeoutMs,
    secrets: [token, user],
    requests: (n) => [
      {
        method: "POST",
        url: `${base}/1/messages.json`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: pushoverForm(token, user, devices, n).toString(),
      },
    ],
  });
}

function pushoverForm(
  token: string,
  user: string,
  devices: readonly string[],
  n: Notification,
): URLSearchParams {
  const priority = isLoud(n) ? 1 : effectiveSeverity(n) === "info" ? -1 : 0;
  const form = new URLSearchParams({
    token,
    user,
    // Limits from the API: title 250 characters, message 1024.
    title: truncate(headline(n), 250),
    message: truncate(detailText(n), 1024),
    priority: String(priority),
    timestamp: String(Math.floor(n.at.getTime() / 1000)),
  });
  if (devices.length > 0) form.set("device", devices.join(","));
  return form;
}
