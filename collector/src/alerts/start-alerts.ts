import type { Observation } from "@infrastructor/lib/alerts/alert.ts";
import {
  type Acknowledged,
  acknowledgeAlert,
  type MuteInput,
  muteAlerts,
  unmuteAlerts,
} from "@infrastructor/lib/alerts/alert-actions.ts";
import type { Channel } from "@infrastructor/lib/notify/channel.ts";
import {
  loadChannel,
  type ReadSecretFile,
  readSecretFile,
} from "@infrastructor/lib/notify/channel-config.ts";
import type { Logger } from "pino";
import type { Sql } from "postgres";
import type { Registry } from "prom-client";
import type { AlertConfig } from "./alert-config.ts";
import { AlertEngine, type AlertEngineOptions } from "./alert-engine.ts";
import { registerAlertMetrics } from "./alert-metrics.ts";
import { type ChannelHealth, channelHealth, forgetRemovedChannels } from "./channel-health.ts";
import { engineSettings } from "./engine-settings.ts";
import { LeaderElection, leaderSession, leaderSessionTimeoutMs } from "./leader.ts";
import { OutboxSender, type OutboxSenderOptions } from "./outbox-sender.ts";

export interface StartAlertsInput {
  /** The collector's pool: evaluations, the outbox, the surfaces. */
  sql: Sql;
  /** The leader takes its own session from this URL (never a pooled connection: see leader.ts). */
  databaseUrl: string;
  config: AlertConfig;
  /** Where channels' `url_env` secrets are read. */
  env: Readonly<Record<string, string | undefined>>;
  observe: () => Promise<Observation[]>;
  tagsOf?: (device: string) => readonly string[];
  log: Pick<Logger, "warn" | "error">;
  readFile?: ReadSecretFile;
  /** The collector's /metrics registry: the alert metrics join it (alert-metrics.ts). */
  registry?: Registry;
  engine?: Partial<AlertEngineOptions>;
  sender?: Partial<OutboxSenderOptions>;
}

export interface RunningAlerts {
  engine: AlertEngine;
  sender: OutboxSender;
  /** The channels by name (their `redacted` URL is the only form to show). */
  channels: ReadonlyMap<string, Channel>;
  /** Each channel's run of failures, for /health and /metrics. */
  health(): Promise<ChannelHealth[]>;
  /** Settles once the channels taken out of the config are forgotten: how many notifications were given up. */
  forgotten: Promise<number>;
  /** The operator's actions for the REST, MCP and CLI surfaces, on this config's channels. */
  acknowledge(key: string, by: string): Promise<Acknowledged>;
  mute(input: Omit<MuteInput, "now">): Promise<{ id: number; muted: string[] }>;
  unmute(id: number): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * Starts the alert engine from a parsed alert config: its channels (secrets read now, so a bad one
 * stops the start with CONFIG_INVALID naming the channel, never the URL), the leader election, the
 * evaluation loop and the outbox sender. What to observe is the caller's.
 */
export function startAlerts(input: StartAlertsInput): RunningAlerts {
  const channels = new Map(
    input.config.channels.map((entry) => [
      entry.name,
      loadChannel(entry, input.env, input.readFile ?? readSecretFile),
    ]),
  );
  const settings = engineSettings(input.config);
  const sender = new OutboxSender(input.sql, channels, { ...(settings.sender ?? {}), ...input.sender });
  const engine = new AlertEngine(
    {
      sql: input.sql,
      leader: new LeaderElection(leaderSession(input.databaseUrl), {
        sessionTimeoutMs: leaderSessionTimeoutMs(settings.intervalMs),
      }),
      observe: input.observe,
      policyOf: settings.policyOf,
      ...(input.tagsOf === undefined ? {} : { tagsOf: input.tagsOf }),
      channelsOf: settings.channelsOf,
      sender,
      logger: input.log,
    },
    {
      intervalMs: settings.intervalMs,
      groupAtLeast: settings.groupAtLeast,
      groupWaitMs: settings.groupWaitMs,
      digestAtMinute: settings.digestAtMinute,
      ...input.engine,
    },
  );
  if (input.registry !== undefined) registerAlertMetrics(input.registry, input.sql, sender);
  const forgotten = forgetRemovedChannels(input.sql, [...channels.keys()]).then(
    (given) => {
      if (given > 0) input.log.warn({ given }, "notifications of channels no longer configured given up");
      return given;
    },
    (err: unknown) => {
      input.log.warn({ err }, "could not forget the channels no longer configured");
      return 0;
    },
  );
  engine.start();
  return {
    engine,
    sender,
    channels,
    health: () => channelHealth(input.sql, sender.failingAfter),
    forgotten,
    acknowledge: (key, by) =>
      acknowledgeAlert(input.sql, { key, by, now: new Date(), channelsOf: settings.channelsOfRule }),
    mute: (mute) => muteAlerts(input.sql, { ...mute, now: new Date() }),
    unmute: (id) => unmuteAlerts(input.sql, id, new Date()),
    stop: () => engine.stop(),
  };
}
