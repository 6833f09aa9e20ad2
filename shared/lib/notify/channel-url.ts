import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { Channel } from "./channel.ts";
import { discordChannel } from "./discord.ts";
import { gotifyChannel } from "./gotify.ts";
import { matrixChannel } from "./matrix.ts";
import { ntfyChannel } from "./ntfy.ts";
import { pushoverChannel } from "./pushover.ts";
import { slackChannel } from "./slack.ts";
import { smtpChannel } from "./smtp.ts";
import { telegramChannel } from "./telegram.ts";
import { webhookChannel } from "./webhook.ts";

/** Builds one scheme's channel from its parsed URL; throws AppError CONFIG_INVALID that never quotes a secret. */
export type ChannelFactory = (name: string, url: URL) => Channel;

// The only scheme -> module map: a new channel is one module and one line here.
const SCHEMES: Readonly<Record<string, ChannelFactory>> = {
  discord: discordChannel,
  gotify: gotifyChannel,
  matrix: matrixChannel,
  ntfy: ntfyChannel,
  pushover: pushoverChannel,
  slack: slackChannel,
  smtp: smtpChannel,
  smtps: smtpChannel,
  telegram: telegramChannel,
  "webhook+http": webhookChannel,
  "webhook+https": webhookChannel,
};

/**
 * The channel a configured URL names. A URL that does not parse or whose scheme is unknown is
 * CONFIG_INVALID naming the channel; the URL itself is never quoted, since it carries the secrets.
 */
export function channelFromUrl(name: string, url: string): Channel {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError(ErrorCode.CONFIG_INVALID, `channel ${name}: the url is not a valid URL`);
  }
  const scheme = parsed.protocol.replace(/:$/, "");
  const factory = Object.hasOwn(SCHEMES, scheme) ? SCHEMES[scheme] : undefined;
  if (factory === undefined) {
    throw new AppError(
      ErrorCode.CONFIG_INVALID,
      `channel ${name}: unknown scheme ${JSON.stringify(scheme.slice(0, 20))} (known: ${Object.keys(SCHEMES).join(", ")})`,
    );
  }
  return factory(name, parsed);
}
