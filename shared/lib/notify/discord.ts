import type { Channel, Notification } from "./channel.ts";
import { channelConfigError, commonOptions, decodePart } from "./channel-options.ts";
import { escapeDiscordMarkdown } from "./escape.ts";
import { httpChannel, JSON_HEADERS } from "./http-channel.ts";
import { detailText, effectiveSeverity, headline, truncate } from "./message-text.ts";

/**
 * Discord webhook (discord.com/developers/docs/resources/webhook#execute-webhook):
 * `discord://token@webhookid` (Shoutrrr's form). One embed coloured by severity; host-controlled
 * text is Markdown-escaped, and `allowed_mentions.parse = []` makes an `@everyone` in a log line inert
 * even if it slipped through. Both the id and the token are secret: together they are the webhook.
 */

const SCHEME = "discord";
const API = "https://discord.com/api";

const COLOUR = { critical: 0xe74c3c, warning: 0xf39c12, info: 0x3498db, resolved: 0x2ecc71 } as const;

export function discordChannel(name: string, url: URL): Channel {
  const options = commonOptions(name, SCHEME, url);
  const token = decodePart(name, SCHEME, url.username);
  const id = url.hostname;
  if (token === "" || !/^\d+$/.test(id) || url.password !== "" || url.pathname.replace(/\//g, "") !== "") {
    throw channelConfigError(name, SCHEME, "expected discord://token@webhookid");
  }
  const base = options.endpoint ?? API;
  return httpChannel({
    name,
    scheme: SCHEME,
    redacted: "discord://***@***",
    timeoutMs: options.timeoutMs,
    secrets: [token, id],
    requests: (n) => [
      {
        method: "POST",
        url: `${base}/webhooks/${id}/${encodeURIComponent(token)}`,
        headers: { ...JSON_HEADERS },
        body: JSON.stringify(discordMessage(n)),
      },
    ],
  });
}

function discordMessage(n: Notification): Record<string, unknown> {
  const colour = n.kind === "resolved" ? COLOUR.resolved : COLOUR[effectiveSeverity(n)];
  return {
    allowed_mentions: { parse: [] },
    embeds: [
      {
        // Embed limits: title 256, description 4096 characters.
        title: truncate(escapeDiscordMarkdown(headline(n)), 256),
        description: truncate(escapeDiscordMarkdown(detailText(n)), 4096),
        color: colour,
        timestamp: n.at.toISOString(),
        footer: { text: `${n.severity} · ${n.kind}` },
      },
    ],
  };
}
