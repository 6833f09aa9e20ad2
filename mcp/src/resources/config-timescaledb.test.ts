import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { freshDatabase, type TestDatabase, type TestPostgres } from "@infrastructor/lib/testing/databases.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import { MIGRATIONS_DIR } from "../../../sql/src/migrate.ts";
import { lintTimescaledb } from "../../../sql/src/testing/lint-timescaledb.ts";
import { lintTimescaledbQuery } from "../../../sql/src/testing/lint-timescaledb-query.ts";
import { TIMESCALEDB_RETENTION_SQL } from "./config.ts";

/**
 * infra://config on TimescaleDB: retention by the rollups' names, not _materialized_hypertable_N.
 * TimescaleDB cannot run here. Proven by lint: the query's views and columns exist in every 2.x and
 * policies are mapped to view names. Run on real PostgreSQL against a stand-in timescaledb_information
 * (tables with the views' columns, rows as TimescaleDB keeps them for this schema): that the SQL parses,
 * types and maps as meant. Not proven: TimescaleDB's own rows (read from its sql/views.sql, not seen).
 */
let pg: TestPostgres;
let db: TestDatabase;
let aggregates: string[];

beforeAll(async () => {
  pg = await startTestPostgres();
  db = await freshDatabase(pg);
  const text = await readFile(join(MIGRATIONS_DIR, "2026-11-25-02-timeseries.timescaledb.sql"), "utf8");
  aggregates = lintTimescaledb(text).aggregates.map((a) => a.name);
}, 120_000);
afterAll(async () => {
  await db?.sql.end();
  await pg?.destroy();
});

/** The query as it was: policies named by jobs.hypertable_name alone. */
const UNMAPPED = `
  SELECT hypertable_name AS table_name,
         EXTRACT(EPOCH FROM (config->>'drop_after')::interval) / 86400 AS keep_days
  FROM timescaledb_information.jobs WHERE proc_name = 'policy_retention'
  ORDER BY hypertable_name`;

test("lint: the retention query reads views and columns every 2.x has, and maps policies to view names", () => {
  expect(aggregates).toEqual(["system_metrics_hourly", "system_metrics_daily"]);
  expect(lintTimescaledbQuery(TIMESCALEDB_RETENTION_SQL, aggregates)).toEqual([]);
  // The old text is caught: no alias to check its columns by, and no mapping.
  expect(lintTimescaledbQuery(UNMAPPED, aggregates)).toEqual([
    "timescaledb_information.jobs: give it an alias and qualify its columns",
  ]);
  const aliased = UNMAPPED.replace("timescaledb_information.jobs", "timescaledb_information.jobs j").replace(
    /\b(hypertable_name|config|proc_name)\b/g,
    "j.$1",
  );
  expect(lintTimescaledbQuery(aliased, aggregates)).toEqual([
    "j.hypertable_name is _materialized_hypertable_N for a continuous aggregate's policies: map it through continuous_aggregates (materialization_hypertable_name -> view_name)",
  ]);
  expect(
    lintTimescaledbQuery(TIMESCALEDB_RETENTION_SQL.replace("ca.view_name", "ca.name"), aggregates),
  ).toEqual([
    "ca.name: timescaledb_information.continuous_aggregates has no column name",
    // and without view_name the mapping is gone too
    "j.hypertable_name is _materialized_hypertable_N for a continuous aggregate's policies: map it through continuous_aggregates (materialization_hypertable_name -> view_name)",
  ]);
});

test("on a stand-in timescaledb_information, the query names the rollups, the internal names never", async () => {
  await db.sql.unsafe(`
    CREATE SCHEMA timescaledb_information;
    CREATE TABLE timescaledb_information.jobs (
      job_id integer, application_name name, schedule_interval interval, max_runtime interval,
      max_retries integer, retry_period interval, proc_schema name, proc_name name, owner name,
      scheduled boolean, config jsonb, next_start timestamptz, hypertable_schema name, hypertable_name name);
    CREATE TABLE timescaledb_information.continuous_aggregates (
      hypertable_schema name, hypertable_name name, view_schema name, view_name name, view_owner name,
      materialized_only boolean, compression_enabled boolean, materialization_hypertable_schema name,
      materialization_hypertable_name name, view_definition text);
    INSERT INTO timescaledb_information.continuous_aggregates
      (hypertable_schema, hypertable_name, view_schema, view_name, materialized_only,
       materialization_hypertable_schema, materialization_hypertable_name) VALUES
      ('public', 'system_metrics', 'public', 'system_metrics_hourly', false, '_timescaledb_internal', '_materialized_hypertable_2'),
      ('public', 'system_metrics', 'public', 'system_metrics_daily', false, '_timescaledb_internal', '_materialized_hypertable_3');
    INSERT INTO timescaledb_information.jobs (job_id, proc_name, config, hypertable_schema, hypertable_name) VALUES
      (1000, 'policy_retention', '{"drop_after": "30 days", "hypertable_id": 1}', 'public', 'system_metrics'),
      (1001, 'policy_refresh_continuous_aggregate', '{"end_offset": "01:00:00", "start_offset": "3 days", "mat_hypertable_id": 2}', '_timescaledb_internal', '_materialized_hypertable_2'),
      (1002, 'policy_retention', '{"drop_after": "90 days", "hypertable_id": 2}', '_timescaledb_internal', '_materialized_hypertable_2'),
      (1003, 'policy_retention', '{"drop_after": "365 days", "hypertable_id": 3}', '_timescaledb_internal', '_materialized_hypertable_3'),
      (1004, 'policy_retention', '{"drop_after": "14 days", "hypertable_id": 9}', 'public', 'logs');`);
  const rows = await db.sql.unsafe<{ table_name: string; keep_days: string }[]>(TIMESCALEDB_RETENTION_SQL);
  expect(rows.map((r) => [r.table_name, Number(r.keep_days)])).toEqual([
    ["logs", 14],
    ["system_metrics", 30],
    ["system_metrics_daily", 365],
    ["system_metrics_hourly", 90],
  ]);
  const before = await db.sql.unsafe<{ table_name: string }[]>(UNMAPPED);
  expect(before.map((r) => r.table_name)).toContain("_materialized_hypertable_2");
});
