import { readFile } from "node:fs/promises";
import type { Observation } from "@infrastructor/lib/alerts/alert.ts";
import { secretUrl } from "@infrastructor/lib/notify/channel-config.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { Logger } from "pino";
import type { Sql } from "postgres";
import type { Registry } from "prom-client";
import { createBackend } from "../../../mcp/src/backend.ts";
import type { McpConfig } from "../../../mcp/src/config.ts";
import type { HealthReport } from "../http/routes/health.ts";
import { type AlertConfig, parseAlertConfig } from "./alert-config.ts";
import { DeadManSwitch, fleetSilentObservation } from "./dead-man.ts";
import { METRICS } from "./metrics.ts";
import { observeFleet } from "./observe.ts";
import { type RunningAlerts, startAlerts } from "./start-alerts.ts";
import { type DevicePayload, observeUserRules } from "./user-rules.ts";

/** How far back the history rules look in an evaluation, as analyze_infrastructure_health's default. */
const WINDOW = { windowH: 24, fullWithinDays: 7 };
const DEFAULT_SILENT_MS = 10 * 60_000;

export interface CollectorAlerts {
  running: RunningAlerts;
  deadMan: DeadManSwitch | null;
  stop(): Promise<void>;
}

/**
 * Alerts in the collector (ALERTS_CONFIG set): the config file parsed (a bad one stops the start,
 * every problem named by line), the engine observing the fleet health check's findings, the user
 * rules and the fleet-silent check over stored data, and the dead-man's switch. Its reads go through
 * a backend of its own (a small pool, no SSH): an evaluation never reads a host live.
 */
export async function startCollectorAlerts(input: {
  file: string;
  server: McpConfig;
  sql: Sql;
  databaseUrl: string;
  env: Readonly<Record<string, string | undefined>>;
  log: Logger;
  registry: Registry;
  /** The collector works (database and NATS): only then is the dead-man's switch pinged. */
  healthy: () => Promise<boolean>;
}): Promise<CollectorAlerts> {
  let text: string;
  try {
    text = await readFile(input.file, "utf8");
  } catch (err) {
    throw new AppError(ErrorCode.CONFIG_INVALID, `ALERTS_CONFIG: cannot read ${input.file}`, { cause: err });
  }
  const config = parseAlertConfig(text, input.file);
  // The ping URL carries the check's secret id: read by the channels' rules (a file not world-readable, or a variable).
  const deadManUrl =
    config.dead_man === undefined ? null : secretUrl(config.dead_man, "dead_man", input.env).url;
  const log = input.log.child({ part: "alerts" });
  const backend = createBackend({ ...input.server, databasePoolSize: 2 }, log);
  const tags = new Map<string, readonly string[]>();
  const observe = async (): Promise<Observation[]> => {
    const now = new Date();
    const devices = await backend.deps.store.listDevices();
    tags.clear();
    for (const d of devices) tags.set(d.hostname, d.tags);
    const observed = await observeFleet(backend.deps, WINDOW, now);
    observed.push(...(await userRuleObservations(config, backend, devices)));
    const silent = fleetSilentObservation(
      devices.map((d) => (d.last_seen === null ? null : new Date(d.last_seen))),
      now,
      config.dead_man?.no_reports_for ?? DEFAULT_SILENT_MS,
    );
    if (silent !== null) observed.push(silent);
    return observed;
  };
  let running: RunningAlerts;
  try {
    running = startAlerts({
      sql: input.sql,
      databaseUrl: input.databaseUrl,
      config,
      env: input.env,
      observe,
      tagsOf: (device) => tags.get(device) ?? [],
      log,
      registry: input.registry,
    });
  } catch (err) {
    await backend.close();
    throw err;
  }
  const deadMan =
    deadManUrl === null || config.dead_man === undefined
      ? null
      : new DeadManSwitch({
          url: deadManUrl,
          everyMs: config.dead_man.every,
          healthy: input.healthy,
          onFailure: (why) => log.warn(why),
        });
  deadMan?.start();
  log.info({ channels: [...running.channels.keys()], rules: config.rules.length }, "alerts started");
  return {
    running,
    deadMan,
    async stop() {
      deadMan?.stop();
      await running.stop();
      await backend.close();
    },
  };
}

/** What /health says of alerts: channels failing or not, the dead-man's switch's last ping. */
export async function alertsHealth(alerts: CollectorAlerts): Promise<NonNullable<HealthReport["alerts"]>> {
  const channels = await alerts.running.health().catch(() => []);
  const last = alerts.deadMan?.last ?? null;
  return {
    channels: channels.map((c) => ({
      channel: c.channel,
      failing: c.failing,
      failures: c.failures,
      last_error: c.lastError,
    })),
    dead_man: last === null ? null : { last_ping_at: last.at.toISOString(), ok: last.ok },
  };
}

/** The newest payloads of the domains the user rules watch, one query for all of them. */
async function userRuleObservations(
  config: AlertConfig,
  backend: ReturnType<typeof createBackend>,
  devices: Awaited<ReturnType<ReturnType<typeof createBackend>["deps"]["store"]["listDevices"]>>,
): Promise<Observation[]> {
  if (config.rules.length === 0) return [];
  const domains = new Set<Domain>(config.rules.map((r) => METRICS[r.when.metric].domain as Domain));
  const stored = await backend.deps.domains.readStoredDomains(
    devices,
    new Map([...domains].map((d) => [d, "payload" as const])),
  );
  const payloads: DevicePayload[] = [];
  for (const [domain, answers] of stored)
    for (const a of answers)
      if (a.data !== null)
        payloads.push({ device: a.device.hostname, tags: a.device.tags, domain, data: a.data });
  return observeUserRules(config.rules, payloads);
}
