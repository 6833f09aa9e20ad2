import type { Channel, Notification } from "./channel.ts";
import { channelConfigError, commonOptions, decodePart } from "./channel-options.ts";
import { escapeSlack } from "./escape.ts";
import { httpChannel, JSON_HEADERS } from "./http-channel.ts";
import { detailText, effectiveSeverity, headline, truncate } from "./message-text.ts";

/**
 * Slack incoming webhook (api.slack.com/messaging/webhooks): `slack://T000/B000/XXXX` (Apprise's form:
 * the three parts of `hooks.slack.com/services/T000/B000/XXXX`). Sends a header block and a section
 * block, both `plain_text` so nothing host-controlled is parsed as mrkdwn (no `<!channel>` ping, no
 * link spoofing); the top-level `text` is the notification fallback, escaped as Slack documents
 * (api.slack.com/reference/surfaces/formatting#escaping). All three parts are secret.
 */

const SCHEME = "slack";
const API = "https://hooks.slack.com";

const MARK = { critical: "🔴", warning: "🟠", info: "🔵", resolved: "✅" } as const;

export function slackChannel(name: string, url: URL): Channel {
  const options = commonOptions(name, SCHEME, url);
  const parts = [url.hostname, ...url.pathname.split("/").filter((s) => s !== "")].map((p) =>
    decodePart(name, SCHEME, p),
  );
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9]+$/.test(p)) || url.username !== "") {
    throw channelConfigError(name, SCHEME, "expected slack://T000/B000/XXXX (the parts of the webhook URL)");
  }
  const base = options.endpoint ?? API;
  return httpChannel({
    name,
    scheme: SCHEME,
    redacted: "slack://***/***/***",
    timeoutMs: options.timeoutMs,
    secrets: parts,
    requests: (n) => [
      {
        method: "POST",
        url: `${base}/services/${parts.join("/")}`,
        headers: { ...JSON_HEADERS },
        body: JSON.stringify(slackMessage(n)),
      },
    ],
  });
}

function slackMessage(n: Notification): Record<string, unknown> {
  const mark = n.kind === "resolved" ? MARK.resolved : MARK[effectiveSeverity(n)];
  const title = `${mark} ${headline(n)}`;
  const detail = detailText(n);
  return {
    text: escapeSlack(truncate(`${title}\n${detail}`, 3000)),
    blocks: [
      // Block Kit limits: header text 150 characters, section text 3000.
      { type: "header", text: { type: "plain_text", text: truncate(title, 150) } },
      { type: "section", text: { type: "plain_text", text: truncate(detail, 3000) } },
    ],
  };
}
