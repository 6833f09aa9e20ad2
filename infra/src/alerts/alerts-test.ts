import { readFile } from "node:fs/promises";
import { parseAlertConfig } from "@infrastructor/collector/alerts/alert-config.ts";
import { ChannelError } from "@infrastructor/lib/notify/channel.ts";
import { loadChannel } from "@infrastructor/lib/notify/channel-config.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";

/**
 * `infra alerts test <channel>`: one test message through a channel of the alert config, so the
 * operator knows it arrives before the night it matters. The channel is named by its config name;
 * only its redacted URL is ever printed.
 */
export async function sendTestAlert(
  channelName: string,
  env: Record<string, string | undefined>,
  out: (line: string) => void,
  now: Date = new Date(),
): Promise<void> {
  const file = env.ALERTS_CONFIG;
  if (file === undefined || file === "")
    throw new AppError(
      ErrorCode.CONFIG_INVALID,
      "ALERTS_CONFIG is not set: the path of the alert configuration",
    );
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new AppError(ErrorCode.CONFIG_INVALID, `cannot read ALERTS_CONFIG ${file}`, { cause: err });
  }
  const config = parseAlertConfig(text, file);
  const entry = config.channels.find((c) => c.name === channelName);
  if (entry === undefined) {
    const names = config.channels.map((c) => c.name).join(", ") || "none";
    throw new AppError(ErrorCode.NOT_FOUND, `no channel ${channelName} in ${file} (channels: ${names})`);
  }
  const channel = loadChannel(entry, env);
  try {
    await channel.send({
      dedupKey: `test|${channel.name}|${now.toISOString()}`,
      kind: "test",
      severity: "info",
      title: `[TEST] Infrastructor alerts reach ${channel.name}`,
      body: `If you read this, alerts sent to the channel ${channel.name} arrive. Sent by \`infra alerts test\` at ${now.toISOString()}.`,
      hosts: [],
      at: now,
    });
  } catch (err) {
    if (err instanceof ChannelError) {
      const when = err.disposition === "retry" ? "a later try may work" : "it will not work as configured";
      throw new AppError(
        ErrorCode.COMMAND_FAILED,
        `${channel.name} (${channel.redacted}): ${err.message} (${when})`,
      );
    }
    throw err;
  }
  out(`sent a test message to ${channel.name} (${channel.redacted})`);
}
