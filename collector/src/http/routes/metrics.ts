import { Hono } from "hono";
import type { Registry } from "prom-client";

/** Prometheus text exposition; `refresh` updates gauges that are read on demand (consumer backlog). */
export function metricsRoutes(registry: Registry, refresh: () => Promise<void>): Hono {
  return new Hono().get("/metrics", async (c) => {
    await refresh().catch(() => undefined); // a stale gauge beats a failed scrape
    return c.text(await registry.metrics(), 200, { "content-type": registry.contentType });
  });
}
