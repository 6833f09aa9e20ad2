import { afterAll, beforeAll, expect, test } from "bun:test";
import { enqueue } from "@infrastructor/lib/alerts/alert-store.ts";
import {
  migratedDatabase,
  type TestDatabase,
  type TestPostgres,
} from "@infrastructor/lib/testing/databases.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import { Registry } from "prom-client";
import { registerAlertMetrics } from "./alert-metrics.ts";
import { OutboxSender } from "./outbox-sender.ts";
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

test("/metrics: alerts by state and severity, the outbox, failing channels, notifications by outcome", async () => {
  const sink = startWebhookSink();
  sink.respond = (i) => ({ status: i === 0 ? 200 : 500 });
  await db.sql`
    INSERT INTO alerts (key, rule, device, domain, severity, what, evidence, state, active_since, acked_at)
    VALUES ('a', 'host_down', 'nas', 'agent', 'critical', 'w', 'e', 'firing', now(), NULL),
      ('b', 'host_down', 'web', 'agent', 'critical', 'w', 'e', 'firing', now(), now()),
      ('c', 'disk_full', 'web', 'system', 'warning', 'w', 'e', 'pending', now(), NULL)`;
  const at = new Date();
  const note = (k: string) => ({
    dedupKey: k,
    kind: "firing" as const,
    severity: "critical" as const,
    title: k,
    body: "",
    hosts: [],
    at,
  });
  await enqueue(db.sql, [
    { n: note("k1"), channel: "phone" },
    { n: note("k2"), channel: "phone" },
  ]);
  const sender = new OutboxSender(db.sql, new Map([["phone", sink.channel("phone")]]), {
    failingAfter: { ms: 60_000, attempts: 1 },
  });
  await sender.sendDue();
  await sink.stop();
  const registry = new Registry();
  registerAlertMetrics(registry, db.sql, sender);
  const lines = (await registry.metrics()).split("\n").filter((l) => l !== "" && !l.startsWith("#"));
  expect(lines.sort()).toEqual([
    'infra_alert_channel_failing{channel="phone"} 1',
    'infra_alert_notifications_total{channel="phone",outcome="failed"} 0',
    'infra_alert_notifications_total{channel="phone",outcome="retried"} 1',
    'infra_alert_notifications_total{channel="phone",outcome="sent"} 1',
    'infra_alert_outbox_pending{channel="phone"} 1',
    'infra_alerts{state="acknowledged",severity="critical"} 1',
    'infra_alerts{state="firing",severity="critical"} 1',
    'infra_alerts{state="pending",severity="warning"} 1',
  ]);
});
