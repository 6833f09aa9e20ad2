import type { Database } from "@infrastructor/shared/db/database.ts";
import { Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import type { Kysely } from "kysely";
import type { Registry } from "prom-client";
import type { Logger } from "../logger.ts";
import { createErrorHandler } from "./error-handler.ts";
import { deviceRoutes } from "./routes/devices.ts";
import { type HealthReport, healthRoutes } from "./routes/health.ts";
import { type McpEndpoint, mcpRoutes } from "./routes/mcp.ts";
import { metricsRoutes } from "./routes/metrics.ts";

export interface AppDeps {
  db: Kysely<Database>;
  apiToken: string;
  registry: Registry;
  health: () => Promise<HealthReport>;
  refreshMetrics: () => Promise<void>;
  log: Logger;
  /** The MCP server over Streamable HTTP, or null when MCP_HTTP=off. */
  mcp: McpEndpoint | null;
}

/**
 * The collector's HTTP surface. /health and /metrics are open (probes, Prometheus); /api/* and /mcp
 * need the token.
 */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.route("/", healthRoutes(deps.health));
  app.route("/", metricsRoutes(deps.registry, deps.refreshMetrics));
  app.use("/api/*", bearerAuth({ token: deps.apiToken }));
  app.route("/api", deviceRoutes(deps.db));
  if (deps.mcp !== null) {
    app.use("/mcp", bearerAuth({ token: deps.apiToken }));
    app.route("/", mcpRoutes(deps.mcp));
  }
  app.notFound((c) =>
    c.json({ error: { code: "NOT_FOUND", message: `no route ${c.req.method} ${c.req.path}` } }, 404),
  );
  app.onError(createErrorHandler(deps.log));
  return app;
}
