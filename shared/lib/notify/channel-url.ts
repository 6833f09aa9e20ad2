import type { Channel } from "./channel.ts";
import { channelConfigError } from "./channel-options.ts";
import { discordChannel } from "./discord.ts";
import { gotifyChannel } from "./gotify.ts";
import { matrixChannel } from "./matrix.ts";
import { ntfyChannel } from "./ntfy.ts";
import { pushoverChannel } from "./pushover.ts";
import { slackChannel } from "./slack.ts";
import { telegramChannel } from "./telegram.ts";
import { webhookChannel } from "./webhook.ts";

/**
 * The one place a channel URL's scheme picks its module (issue 15). One line per scheme, so branches
 * that add schemes merge without conflict. Errors name the channel and what is wrong, never the URL:
 * the URL holds the secrets.
 */

type ChannelFactory = (name: string, url: URL) => Channel;

const FACTORIES: Record<string, ChannelFactory> = {
  discord: discordChannel,
  gotify: gotifyChannel,
  matrix: matrixChannel,
  ntfy: ntfyChannel,
  pushover: pushoverChannel,
  slack: slackChannel,
  telegram: telegramChannel,
  "webhook+http": webhookChannel,
  "webhook+https": webhookChannel,
};

export function channelFromUrl(name: string, url: string): Channel {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw channelConfigError(
      name,
      "?",
      "the URL does not parse (the value is not repeated here: it may hold a secret)",
    );
  }
  const scheme = parsed.protocol.replace(/:$/, "");
  const factory = Object.hasOwn(FACTORIES, scheme) ? FACTORIES[scheme] : undefined;
  if (factory === undefined) {
    throw channelConfigError(
      name,
      scheme,
      `unknown scheme; known: ${Object.keys(FACTORIES).sort().join(", ")}`,
    );
  }
  return factory(name, parsed);
}
