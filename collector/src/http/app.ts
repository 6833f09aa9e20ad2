import type { Database } from "@infrastructor/lib/db/database.ts";
import { Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { except } from "hono/combine";
import type { Kysely } from "kysely";
import type { Registry } from "prom-client";
import { AgentBinaries } from "../enroll/agent-binaries.ts";
import type { EnrollSettings } from "../enroll/enroll-host.ts";
import type { Logger } from "../logger.ts";
import { createErrorHandler } from "./error-handler.ts";
import { RateLimiter, type RateLimits } from "./rate-limit.ts";
import { agentBinaryRoutes } from "./routes/agent-binaries.ts";
import { type AlertRoutesDeps, alertRoutes } from "./routes/alerts.ts";
import { deviceRoutes } from "./routes/devices.ts";
import { enrollRoutes } from "./routes/enroll.ts";
import { enrollTokenRoutes } from "./routes/enroll-tokens.ts";
import { type HealthReport, healthRoutes } from "./routes/health.ts";
import { installScriptRoutes } from "./routes/install-script.ts";
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
  /** Enrollment: install.sh, the agent binaries, POST /api/enroll (see collector/src/enroll/). */
  enroll: AppEnrollDeps;
  /** /api/alerts (list, ack, mute, unmute); absent: no such routes. */
  alerts?: AlertRoutesDeps;
}

export interface AppEnrollDeps {
  settings: EnrollSettings;
  /** Where the compiled agents are (AGENT_DIST_DIR). */
  distDir: string;
  /** The URL install.sh is told to use (COLLECTOR_PUBLIC_URL); null: the URL of its own request. */
  publicUrl: string | null;
  /** POST /api/enroll's rate limits (ENROLL_RATE_LIMIT_PER_CLIENT, ENROLL_RATE_LIMIT_GLOBAL). */
  rateLimits: RateLimits;
  /** The HTTPS certificate's public-key pin (`sha256//...`) install.sh re-uses; null over plain HTTP. */
  pin: string | null;
}

/**
 * The collector's HTTP surface. /health and /metrics are open (probes, Prometheus), and so are
 * /install.sh and /agent/* (nothing secret in them); /api/enroll takes an enrollment token instead;
 * the rest of /api/* and /mcp need the API token.
 */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.route("/", healthRoutes(deps.health));
  app.route("/", metricsRoutes(deps.registry, deps.refreshMetrics));
  app.route("/", installScriptRoutes(deps.enroll.publicUrl, deps.enroll.pin));
  app.route("/", agentBinaryRoutes(new AgentBinaries(deps.enroll.distDir)));
  app.use("/api/*", except("/api/enroll", bearerAuth({ token: deps.apiToken })));
  app.route(
    "/api",
    enrollRoutes(
      deps.db,
      deps.enroll.settings,
      new RateLimiter(deps.enroll.rateLimits),
      deps.log.child({ part: "enroll" }),
    ),
  );
  app.route("/api", enrollTokenRoutes(deps.db));
  app.route("/api", deviceRoutes(deps.db));
  if (deps.alerts !== undefined) app.route("/api", alertRoutes(deps.alerts));
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
