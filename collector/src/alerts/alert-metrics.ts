import type { Sql } from "postgres";
import { Counter, Gauge, type Registry } from "prom-client";
import { channelHealth } from "./channel-health.ts";
import type { OutboxSender } from "./outbox-sender.ts";

/**
 * The alert engine on /metrics, read when scraped: alerts by state and severity (an acknowledged
 * firing alert counts as `acknowledged`), the outbox not yet sent, each channel failing or not, and
 * what this collector's sender sent, retried and gave up on per channel since it started.
 */
export function registerAlertMetrics(registry: Registry, sql: Sql, sender: OutboxSender): void {
  new Gauge({
    name: "infra_alerts",
    help: "Alerts followed, by state (pending, firing, acknowledged, resolved) and severity",
    labelNames: ["state", "severity"],
    registers: [registry],
    async collect() {
      const rows = await sql<{ state: string; severity: string; n: number }[]>`
        SELECT CASE WHEN state = 'firing' AND acked_at IS NOT NULL THEN 'acknowledged' ELSE state END AS state,
          severity, count(*)::int AS n
        FROM alerts GROUP BY 1, 2`;
      this.reset();
      for (const r of rows) this.set({ state: r.state, severity: r.severity }, r.n);
    },
  });
  new Gauge({
    name: "infra_alert_outbox_pending",
    help: "Notifications written but not yet sent (nor given up), by channel",
    labelNames: ["channel"],
    registers: [registry],
    async collect() {
      const rows = await sql<{ channel: string; n: number }[]>`
        SELECT channel, count(*)::int AS n FROM notification_outbox
        WHERE sent_at IS NULL AND failed_at IS NULL GROUP BY channel`;
      this.reset();
      for (const r of rows) this.set({ channel: r.channel }, r.n);
    },
  });
  new Gauge({
    name: "infra_alert_channel_failing",
    help: "1 while a channel has failed past the threshold (its outage is reported on the other channels)",
    labelNames: ["channel"],
    registers: [registry],
    async collect() {
      const health = await channelHealth(sql, sender.failingAfter);
      this.reset();
      for (const h of health) this.set({ channel: h.channel }, h.failing ? 1 : 0);
    },
  });
  new Counter({
    name: "infra_alert_notifications_total",
    help: "Notifications this collector handed to a channel, by channel and outcome (sent, retried, failed)",
    labelNames: ["channel", "outcome"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [channel, counts] of sender.totals) {
        for (const outcome of ["sent", "retried", "failed"] as const) {
          this.inc({ channel, outcome }, counts[outcome]);
        }
      }
    },
  });
}
