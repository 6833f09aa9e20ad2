import { Hono } from "hono";
import type { Backlog } from "../../ingest/backlog.ts";

export interface HealthReport {
  status: "ok" | "degraded";
  database: { ok: boolean; latency_ms?: number; error?: string };
  nats: { ok: boolean; error?: string };
  /** The JetStream consumer's backlog and the age of its oldest unacked message. */
  consumer: Backlog | null;
  /**
   * Alerts, when configured: each channel's run of failures (a channel that keeps failing is listed
   * here, not only on the other channels) and the dead-man's switch's last ping. It does not make
   * /health 503: the collector still ingests.
   */
  alerts?: {
    channels: { channel: string; failing: boolean; failures: number; last_error: string | null }[];
    dead_man: { last_ping_at: string; ok: boolean } | null;
  };
}

/** 200 when database and NATS both answer, 503 otherwise; the body says which part is failing. */
export function healthRoutes(check: () => Promise<HealthReport>): Hono {
  return new Hono().get("/health", async (c) => {
    const report = await check();
    return c.json(report, report.status === "ok" ? 200 : 503);
  });
}
