import { afterAll, beforeAll, expect, test } from "bun:test";
import { registerAlertMetrics } from "@infrastructor/collector/alerts/alert-metrics.ts";
import { OutboxSender } from "@infrastructor/collector/alerts/outbox-sender.ts";
import { seedAlert } from "@infrastructor/collector/alerts/testing/seed-alerts.ts";
import { bareAlertActions } from "@infrastructor/lib/alerts/surface-actions.ts";
import { connectDatabase } from "@infrastructor/lib/db/connect.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import type { Hono } from "hono";
import { Registry } from "prom-client";
import { runMigrations } from "../../../../sql/src/migrate.ts";
import { createLogger } from "../../logger.ts";
import { createApp } from "../app.ts";

/** /api/alerts through the real app on a real PostgreSQL. */
const API_TOKEN = "alerts-test-api-token-0123";
let pg: Awaited<ReturnType<typeof startTestPostgres>>;
let handles: ReturnType<typeof connectDatabase>;
let app: Hono;
const registry = new Registry();
const keys = { firing: "", pending: "", other: "" };

beforeAll(async () => {
  pg = await startTestPostgres();
  handles = connectDatabase(pg.url, 4, () => undefined);
  const migrated = await runMigrations(handles.sql, { flavor: "postgres" });
  if (migrated.error) throw migrated.error;
  // The engine's metrics join the collector's registry (start-alerts.ts does this when it starts).
  registerAlertMetrics(registry, handles.sql, new OutboxSender(handles.sql, new Map()));
  app = createApp({
    db: handles.db,
    apiToken: API_TOKEN,
    registry,
    health: async () => ({ status: "ok", database: { ok: true }, nats: { ok: true }, consumer: null }),
    refreshMetrics: async () => undefined,
    log: createLogger("silent"),
    mcp: null,
    enroll: {
      settings: { natsUrl: "nats://hub.lan:4222", natsToken: null, issuer: null },
      distDir: "dist",
      publicUrl: null,
      rateLimits: { perClientPerMin: 100, globalPerMin: 100 },
      pin: null,
    },
    alerts: { sql: handles.sql, actions: bareAlertActions(handles.sql) },
  });
  keys.pending = await seedAlert(handles.sql, {
    rule: "disk_full",
    device: "alpha",
    subject: "disk / #% full",
    state: "pending",
  });
  keys.firing = await seedAlert(handles.sql, {
    rule: "host_down",
    device: "beta",
    subject: "not reporting",
    severity: "critical",
  });
  keys.other = await seedAlert(handles.sql, { rule: "mem_high", device: "alpha", subject: "memory #%" });
  // The firing alert's news went to the channel "ops" before: its acknowledgement goes there too.
  await handles.sql`INSERT INTO notification_outbox (dedup_key, channel, kind, severity, title, body, hosts, at, sent_at)
    VALUES (${`${keys.firing}|firing|x`}, 'ops', 'firing', 'critical', 't', 'b', ${["beta"]}, now(), now())`;
}, 120_000);

afterAll(async () => {
  await handles?.close();
  await pg?.destroy();
});

const auth = { Authorization: `Bearer ${API_TOKEN}`, "Content-Type": "application/json" };
const post = (path: string, body: unknown) =>
  app.request(path, { method: "POST", headers: auth, body: JSON.stringify(body) });

test("without the API token every /api/alerts route is 401", async () => {
  expect((await app.request("/api/alerts")).status).toBe(401);
  expect((await app.request("/api/alerts/ack", { method: "POST", body: "{}" })).status).toBe(401);
  expect((await app.request("/api/alerts/mutes/1", { method: "DELETE" })).status).toBe(401);
});

test("GET /api/alerts: firing first, with the history; filters by state and device; a bad filter is 400", async () => {
  const res = await app.request("/api/alerts", { headers: auth });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { alerts: { key: string }[]; history: { key: string }[] };
  expect(body.alerts.map((a) => a.key)).toEqual([keys.firing, keys.other, keys.pending]);
  expect(body.history.map((e) => e.key).sort()).toEqual([keys.firing, keys.other].sort());
  const alpha = (await (
    await app.request("/api/alerts?device=alpha&state=pending", { headers: auth })
  ).json()) as {
    alerts: { key: string }[];
  };
  expect(alpha.alerts.map((a) => a.key)).toEqual([keys.pending]);
  const bad = await app.request("/api/alerts?state=burning", { headers: auth });
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("INVALID_ARGUMENT");
});

test("POST /api/alerts/ack acknowledges a firing alert and tells the channels that carried it", async () => {
  const res = await post("/api/alerts/ack", { key: keys.firing, by: "bob" });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { acked_by: string }).acked_by).toBe("bob");
  const [row] = await handles.sql<
    { acked_by: string }[]
  >`SELECT acked_by FROM alerts WHERE key = ${keys.firing}`;
  expect(row?.acked_by).toBe("bob");
  const told = await handles.sql<{ channel: string }[]>`
    SELECT channel FROM notification_outbox WHERE kind = 'acknowledged'`;
  expect(told.map((r) => r.channel)).toEqual(["ops"]);
  const pending = await post("/api/alerts/ack", { key: keys.pending });
  expect(pending.status).toBe(404);
  expect((await post("/api/alerts/ack", { key: "nonsense" })).status).toBe(400);
  expect((await app.request("/api/alerts/ack", { method: "POST", headers: auth, body: "{" })).status).toBe(
    400,
  );
});

test("POST /api/alerts/mutes mutes, DELETE /api/alerts/mutes/:id ends the mute once", async () => {
  const res = await post("/api/alerts/mutes", { device: "alpha", for: "2h", reason: "maintenance" });
  expect(res.status).toBe(201);
  const mute = (await res.json()) as { id: number; muted: string[]; until: string };
  expect(mute.muted.sort()).toEqual([keys.other, keys.pending].sort());
  expect(new Date(mute.until).getTime()).toBeGreaterThan(Date.now() + 7_000_000);
  expect((await post("/api/alerts/mutes", { for: "2h", reason: "x" })).status).toBe(400);
  expect((await post("/api/alerts/mutes", { device: "alpha", for: "soon", reason: "x" })).status).toBe(400);
  const del = () => app.request(`/api/alerts/mutes/${mute.id}`, { method: "DELETE", headers: auth });
  expect((await del()).status).toBe(200);
  expect((await del()).status).toBe(404);
  expect((await app.request("/api/alerts/mutes/abc", { method: "DELETE", headers: auth })).status).toBe(400);
});

test("GET /metrics (open, as for Prometheus) shows the alerts by state and severity", async () => {
  const res = await app.request("/metrics");
  expect(res.status).toBe(200);
  const text = await res.text();
  expect(text).toContain("# TYPE infra_alerts gauge");
  expect(text).toContain('infra_alerts{state="acknowledged",severity="critical"} 1');
  expect(text).toContain('infra_alerts{state="firing",severity="warning"} 1');
  expect(text).toContain('infra_alerts{state="pending",severity="warning"} 1');
  expect(text).toContain("# TYPE infra_alert_notifications_total counter");
});
