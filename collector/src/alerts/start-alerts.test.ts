import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Observation } from "@infrastructor/lib/alerts/alert.ts";
import { connectDatabase } from "@infrastructor/lib/db/connect.ts";
import {
  migratedDatabase,
  type TestDatabase,
  type TestPostgres,
} from "@infrastructor/lib/testing/databases.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import { AppError } from "@infrastructor/shared/errors.ts";
import { createLogger } from "../logger.ts";
import { parseAlertConfig } from "./alert-config.ts";
import { type RunningAlerts, startAlerts } from "./start-alerts.ts";
import { startWebhookSink } from "./testing/webhook-sink.ts";

let pg: TestPostgres;
let db: TestDatabase;

beforeAll(async () => {
  pg = await startTestPostgres();
  db = await migratedDatabase(pg);
}, 240_000);
afterAll(async () => {
  await db?.sql.end();
  await pg?.destroy();
});

const CONFIG = `
channels:
  - { name: phone, url_env: PHONE_URL }
defaults:
  evaluate_every: 200ms
  group_wait: 0s
builtin:
  host_down: { for: 500ms }
`;

const silent: Observation = {
  key: "host_down|nas|",
  rule: "host_down",
  device: "nas",
  domain: "agent",
  severity: "critical",
  what: "not reporting",
  evidence: "last seen 2 min ago",
  status: "active",
};

test("two collectors started from one alert config: one evaluates, one notification; the channel reads healthy", async () => {
  const sink = startWebhookSink();
  const env = { PHONE_URL: sink.url };
  const config = parseAlertConfig(CONFIG, "alerts.yaml");
  // The collector's own pool settings (int8 read as numbers, session limits), as in production.
  const pool = connectDatabase(db.url, 4);
  const start = (): RunningAlerts =>
    startAlerts({
      sql: pool.sql,
      databaseUrl: db.url,
      config,
      env,
      observe: async () => [silent],
      log: createLogger("silent"),
      sender: { failingAfter: { ms: 60_000, attempts: 3 } },
      engine: { sendIntervalMs: 50 },
    });
  const collectors = [start(), start()];
  try {
    await waitFor("the first notification", () => sink.delivered().length > 0, 60_000, 50);
    await Bun.sleep(600); // time for a second, wrong, notification to show
    expect(sink.delivered().map((r) => r.title)).toEqual(["[CRITICAL] nas: not reporting"]);
    expect((await collectors[0]?.health())?.map((h) => [h.channel, h.failing])).toEqual([["phone", false]]);
    expect(collectors[0]?.channels.get("phone")?.redacted).not.toContain("/hook");
    // The operator's actions, on the config's channels: the acknowledgement is told too.
    await collectors[1]?.acknowledge("host_down|nas|", "ana");
    await waitFor("the acknowledgement's notification", () => sink.delivered().length >= 2, 60_000, 50);
    expect(sink.delivered()[1]?.title).toBe("[ACKNOWLEDGED CRITICAL] nas: not reporting");
    const muted = await collectors[0]?.mute({
      device: "nas",
      rule: null,
      key: null,
      tag: null,
      until: new Date(Date.now() + 3_600_000),
      reason: "maintenance",
      by: "ana",
    });
    expect(muted?.muted).toEqual(["host_down|nas|"]);
    expect([
      await collectors[0]?.unmute(muted?.id ?? 0),
      await collectors[0]?.unmute(muted?.id ?? 0),
    ]).toEqual([true, false]);
  } finally {
    for (const c of collectors) await c.stop();
    await sink.stop();
    await pool.close();
  }
  const leaders = await db.sql`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted`;
  expect(leaders.length).toBe(0);
});

test("a channel whose secret is missing stops the start, naming the variable, not a URL", () => {
  const config = parseAlertConfig(CONFIG, "alerts.yaml");
  let error: unknown;
  try {
    startAlerts({
      sql: db.sql,
      databaseUrl: db.url,
      config,
      env: {},
      observe: async () => [],
      log: createLogger("silent"),
    });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).message).toBe(
    "channel phone: environment variable PHONE_URL is not set or empty",
  );
});

test("a channel taken out of the config: its queued notifications are given up with why, its failure record dropped", async () => {
  const sink = startWebhookSink();
  // Left by an earlier config that had a `pager` channel, failing when the collector stopped.
  await db.sql`INSERT INTO notification_outbox (dedup_key, channel, kind, severity, title, body, hosts, at)
    VALUES ('old|1', 'pager', 'firing', 'critical', 't', 'b', '{nas}', now())`;
  await db.sql`INSERT INTO alert_channel_health (channel, failing_since, failures, last_error, reported_at)
    VALUES ('pager', now() - interval '1 hour', 9, 'connection refused', now()),
           ('phone', NULL, 0, NULL, NULL)
    ON CONFLICT (channel) DO NOTHING`;
  const running = startAlerts({
    sql: db.sql,
    databaseUrl: db.url,
    config: parseAlertConfig(CONFIG, "alerts.yaml"),
    env: { PHONE_URL: sink.url },
    observe: async () => [],
    log: createLogger("silent"),
  });
  try {
    expect(await running.forgotten).toBe(1);
    const [row] = await db.sql<{ failed: boolean; last_error: string }[]>`
      SELECT failed_at IS NOT NULL AS failed, last_error FROM notification_outbox WHERE dedup_key = 'old|1'`;
    expect(row).toEqual({ failed: true, last_error: "the channel is no longer in the alert config" });
    const health = await db.sql<
      { channel: string }[]
    >`SELECT channel FROM alert_channel_health ORDER BY channel`;
    expect(health.map((h) => h.channel)).toEqual(["phone"]);
  } finally {
    await running.stop();
    await sink.stop();
  }
});
