import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  freshDatabase,
  migratedDatabase,
  type TestDatabase,
  type TestPostgres,
} from "@infrastructor/lib/testing/databases.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import { MIGRATIONS_DIR } from "../../../sql/src/migrate.ts";
import { ensureMigrationLog, recordApplied } from "../../../sql/src/migration-log.ts";
import { lintTimescaledb } from "../../../sql/src/testing/lint-timescaledb.ts";
import { lintTimescaledbQuery } from "../../../sql/src/testing/lint-timescaledb-query.ts";
import { ROLLUPS } from "./refresh-rollups.ts";
import {
  aggregateRefreshes,
  REFRESH_CONTINUOUS_AGGREGATE,
  refreshRollupsNow,
} from "./refresh-rollups-now.ts";
import { insertSamples, readRollup } from "./testing/samples.ts";

let pg: TestPostgres;
const opened: TestDatabase[] = [];

beforeAll(async () => {
  pg = await startTestPostgres();
}, 120_000);
afterAll(async () => {
  await Promise.all(opened.map((db) => db.sql.end()));
  await pg?.destroy();
});

const at = (iso: string): Date => new Date(`2026-01-10T${iso}Z`);

test("TimescaleDB windows are widened to whole buckets, never smaller than one; an empty range refreshes nothing", () => {
  expect(aggregateRefreshes({ from: at("10:20:00"), to: at("10:50:00") })).toEqual([
    { view: "system_metrics_hourly", from: at("10:00:00"), to: at("11:00:00") },
    { view: "system_metrics_daily", from: at("00:00:00"), to: new Date("2026-01-11T00:00:00Z") },
  ]);
  expect(aggregateRefreshes({ from: at("10:00:00"), to: at("12:00:00") })[0]).toEqual({
    view: "system_metrics_hourly",
    from: at("10:00:00"),
    to: at("12:00:00"),
  });
  expect(aggregateRefreshes({ from: at("10:00:00"), to: at("10:00:00") })).toEqual([]);
});

test("lint: the refresh is a CALL on the continuous aggregates the migrations create", async () => {
  const text = await readFile(join(MIGRATIONS_DIR, "2026-11-25-02-timeseries.timescaledb.sql"), "utf8");
  const aggregates = lintTimescaledb(text).aggregates.map((a) => a.name);
  expect(Object.values(ROLLUPS).map((r) => r.table)).toEqual(aggregates);
  expect(lintTimescaledbQuery(REFRESH_CONTINUOUS_AGGREGATE, aggregates)).toEqual([]);
  expect(
    lintTimescaledbQuery(
      "SELECT refresh_continuous_aggregate('system_metrics_hourly', NULL, NULL)",
      aggregates,
    ),
  ).toEqual(["refresh_continuous_aggregate is a procedure: CALL it"]);
  expect(
    lintTimescaledbQuery(
      "CALL refresh_continuous_aggregate('system_metrics_weekly', NULL, NULL)",
      aggregates,
    ),
  ).toEqual([
    "refresh_continuous_aggregate('system_metrics_weekly'): not a continuous aggregate of the migrations",
  ]);
});

test("plain PostgreSQL: the collector's recomputation fills the rollups", async () => {
  const db = await migratedDatabase(pg);
  opened.push(db);
  await db.sql`INSERT INTO devices (hostname) VALUES ('a')`;
  const [device] = await db.sql<{ id: number }[]>`SELECT id FROM devices`;
  const id = device?.id ?? 0;
  await insertSamples(db.sql, [
    { device_id: id, time: at("10:05:00"), cpu_pct: 10 },
    { device_id: id, time: at("10:35:00"), cpu_pct: 30 },
  ]);
  expect(await refreshRollupsNow(db.sql, { from: at("10:00:00"), to: at("11:00:00") })).toBe("postgres");
  const hourly = await readRollup(db.sql, "system_metrics_hourly");
  expect(hourly.map((r) => [r.bucket, r.samples, r.cpu_pct_avg])).toEqual([[at("10:00:00"), 2, 20]]);
  expect(await readRollup(db.sql, "system_metrics_daily")).toHaveLength(1);
});

test("TimescaleDB (stand-in procedure): one CALL per aggregate, whole buckets, outside any transaction block", async () => {
  // The stand-in commits inside: PostgreSQL refuses that ("invalid transaction termination") when the
  // CALL runs in a transaction block, where TimescaleDB's refresh refuses to run too.
  const db = await freshDatabase(pg);
  opened.push(db);
  await ensureMigrationLog(db.sql);
  await recordApplied(db.sql, "2026-11-25-01-core", "timescaledb", "0".repeat(64));
  await db.sql.unsafe(`
    CREATE TABLE system_metrics_hourly (bucket timestamptz);
    CREATE TABLE system_metrics_daily (bucket timestamptz);
    CREATE TABLE refresh_calls (n serial, view regclass, window_start timestamptz, window_end timestamptz);
    CREATE PROCEDURE refresh_continuous_aggregate(view regclass, window_start timestamptz, window_end timestamptz)
    LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO refresh_calls (view, window_start, window_end) VALUES (view, window_start, window_end);
      COMMIT;
    END $$;`);
  expect(await refreshRollupsNow(db.sql, { from: at("10:20:00"), to: at("10:50:00") })).toBe("timescaledb");
  const calls = await db.sql<{ view: string; window_start: Date; window_end: Date }[]>`
    SELECT view::text AS view, window_start, window_end FROM refresh_calls ORDER BY n`;
  expect(calls.map((c) => [c.view, c.window_start, c.window_end])).toEqual([
    ["system_metrics_hourly", at("10:00:00"), at("11:00:00")],
    ["system_metrics_daily", at("00:00:00"), new Date("2026-01-11T00:00:00Z")],
  ]);
  // The stand-in does refuse a transaction block: the check above is not vacuous.
  const inBlock = await db.sql
    .begin((tx) =>
      tx.unsafe(REFRESH_CONTINUOUS_AGGREGATE, ["system_metrics_hourly", at("10:00:00"), at("11:00:00")]),
    )
    .then(
      () => "ran",
      (err: Error) => err.message,
    );
  expect(inBlock).toBe("invalid transaction termination");
});
