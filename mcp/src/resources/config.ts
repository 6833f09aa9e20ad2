import { retentionByTable } from "@infrastructor/lib/db/retention.ts";
import { type Domain, DomainSchemas } from "@infrastructor/shared/domains.ts";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { sql } from "kysely";
import { DEFAULT_LIMIT, MAX_LIMIT } from "../answer/paginate.ts";
import type { McpDeps } from "../server.ts";
import { answering } from "./resource-error.ts";

export const CONFIG_URI = "infra://config";

/**
 * TimescaleDB's retention policies by the name the schema gave each table. A policy on a continuous
 * aggregate belongs to its materialization hypertable (_timescaledb_internal._materialized_hypertable_N),
 * which is all timescaledb_information.jobs names: continuous_aggregates maps it back to the view.
 * Checked as text by sql/src/testing/lint-timescaledb-query.ts (TimescaleDB cannot run here).
 */
export const TIMESCALEDB_RETENTION_SQL = `
  SELECT COALESCE(ca.view_name, j.hypertable_name) AS table_name,
         EXTRACT(EPOCH FROM (j.config->>'drop_after')::interval) / 86400 AS keep_days
  FROM timescaledb_information.jobs j
  LEFT JOIN timescaledb_information.continuous_aggregates ca
    ON ca.materialization_hypertable_schema = j.hypertable_schema
   AND ca.materialization_hypertable_name = j.hypertable_name
  WHERE j.proc_name = 'policy_retention'
  ORDER BY 1`;
const DAY_MS = 86_400_000;

interface Retention {
  flavor: string | null;
  source: string;
  keep_days: Record<string, number>;
}

/**
 * infra://config: what the answers depend on. Collection intervals and freshness thresholds per
 * domain, health thresholds, retention, live-read limits. Never the database URL or any secret.
 */
export function registerConfigResource(server: McpServer, deps: McpDeps): void {
  server.registerResource(
    "config",
    CONFIG_URI,
    {
      title: "Monitoring configuration",
      description:
        "Collection interval and stale threshold of each domain, the cpu/memory/disk warning thresholds, how " +
        "long history is kept, and the limits of live SSH reads.",
      mimeType: "application/json",
    },
    (uri) =>
      answering(async () => {
        const body = await readConfig(deps);
        return {
          contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(body, null, 1) }],
        };
      }),
  );
}

export async function readConfig(deps: McpDeps): Promise<Record<string, unknown>> {
  const { config } = deps;
  const freshness = deps.domains.freshness;
  const domains = Object.fromEntries(
    (Object.keys(DomainSchemas) as Domain[]).map((d) => [
      d,
      {
        interval_s: freshness.intervalMs[d] / 1000,
        stale_after_s: freshness.staleAfterMs(d) / 1000,
        stale_after_source: config.staleAfterMs[d] === undefined ? "factor" : "MCP_STALE_AFTER",
      },
    ]),
  );
  return {
    freshness: {
      stale_factor: config.staleFactor,
      note: "stored data older than stale_after_s is marked stale; tools then read live over SSH when they can",
      domains,
    },
    health_thresholds: {
      cpu_pct: config.thresholds.cpuPct,
      mem_pct: config.thresholds.memPct,
      disk_pct: config.thresholds.diskPct,
    },
    retention: await readRetention(deps),
    live: {
      ssh: deps.live !== null,
      concurrency: config.liveConcurrency,
      connect_timeout_ms: config.ssh.connectTimeoutMs,
      command_timeout_ms: config.ssh.commandTimeoutMs,
      idle_timeout_ms: config.ssh.idleTimeoutMs,
    },
    paging: { default_limit: DEFAULT_LIMIT, max_limit: MAX_LIMIT },
    slow_query_ms: config.slowQueryMs,
  };
}

/**
 * On TimescaleDB the retention is the policies the migrations created, read back from the database;
 * on plain PostgreSQL it is the collector's maintenance, with the collector's own settings when this
 * server runs inside it, its defaults otherwise.
 */
async function readRetention(deps: McpDeps): Promise<Retention> {
  const db = deps.store.db;
  const flavor = await deps.store.guard("read schema flavor", async () => {
    const { rows } = await sql<{ flavor: string }>`SELECT flavor FROM schema_migrations LIMIT 1`.execute(db);
    return rows[0]?.flavor ?? null;
  });
  if (flavor === "timescaledb") {
    const policies = await deps.store.guard("read retention policies", async () => {
      const { rows } = await sql
        .raw<{ table_name: string; keep_days: number }>(TIMESCALEDB_RETENTION_SQL)
        .execute(db);
      return rows;
    });
    return {
      flavor,
      source: "TimescaleDB retention policies",
      keep_days: {
        ...Object.fromEntries(policies.map((p) => [p.table_name, Number(p.keep_days)])),
        // A plain table on both flavors: the collector prunes it.
        ingest_rejects: (retentionByTable({ tables: ["ingest_rejects"] }).ingest_rejects ?? 0) / DAY_MS,
      },
    };
  }
  const collector = deps.config.retention;
  const byTable = retentionByTable(collector ?? {});
  return {
    flavor,
    source:
      collector === null
        ? "the collector's defaults (a collector started with RETENTION_RAW, RETENTION_HOURLY or RETENTION_DAILY keeps other ages)"
        : "this collector's settings",
    keep_days: Object.fromEntries(Object.entries(byTable).map(([table, ms]) => [table, ms / DAY_MS])),
  };
}
