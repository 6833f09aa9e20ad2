import type { Channel, Notification } from "./channel.ts";
import { channelConfigError, commonOptions, decodePart, listParam } from "./channel-options.ts";
import { httpChannel, JSON_HEADERS } from "./http-channel.ts";
import { detailText, effectiveSeverity, headline, truncate } from "./message-text.ts";

/**
 * Telegram Bot API (core.telegram.org/bots/api#sendmessage): `telegram://BOTTOKEN@telegram?chats=ID,@channel`
 * (Shoutrrr's form; the token's `:` splits it into URL user and password, which are joined back).
 * One sendMessage per chat, with no `parse_mode`: the text is shown as sent, so neither Markdown nor
 * HTML in a hostname or a log line can format, link or break the message. Info-level messages are sent
 * with `disable_notification` (silent).
 */

const SCHEME = "telegram";
const API = "https://api.telegram.org";

export function telegramChannel(name: string, url: URL): Channel {
  const options = commonOptions(name, SCHEME, url, ["chats"]);
  const botId = decodePart(name, SCHEME, url.username);
  const secret = decodePart(name, SCHEME, url.password);
  const chats = listParam(url, "chats");
  if (!/^\d+$/.test(botId) || secret === "" || url.hostname !== "telegram" || chats.length === 0) {
    throw channelConfigError(name, SCHEME, "expected telegram://BOTTOKEN@telegram?chats=ID[,@channel]");
  }
  const token = `${botId}:${secret}`;
  const base = options.endpoint ?? API;
  return httpChannel({
    name,
    scheme: SCHEME,
    redacted: `telegram://***@telegram?chats=${chats.join(",")}`,
    timeoutMs: options.timeoutMs,
    secrets: [token, secret],
    requests: (n) =>
      chats.map((chat) => ({
        method: "POST" as const,
        url: `${base}/bot${token}/sendMessage`,
        headers: { ...JSON_HEADERS },
        body: JSON.stringify(telegramMessage(chat, n)),
        retryAfterFromBody,
      })),
  });
}

function telegramMessage(chat: string, n: Notification): Record<string, unknown> {
  return {
    chat_id: /^-?\d+$/.test(chat) ? Number(chat) : chat,
    // sendMessage text is 1-4096 characters after entity parsing; no parse_mode means none is parsed.
    text: truncate(`${headline(n)}\n\n${detailText(n)}`, 4096),
    disable_notification: effectiveSeverity(n) === "info",
    link_preview_options: { is_disabled: true },
  };
}

/** A 429 from the Bot API says how long to wait in `parameters.retry_after` (seconds; ResponseParameters). */
function retryAfterFromBody(body: string): number | null {
  try {
    const seconds = (JSON.parse(body) as { parameters?: { retry_after?: unknown } }).parameters?.retry_after;
    return typeof seconds === "number" && seconds >= 0 ? seconds * 1000 : null;
  } catch {
    return null;
  }
}
