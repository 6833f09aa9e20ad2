import { afterAll, beforeAll, expect, test } from "bun:test";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { systemMetrics } from "@infrastructor/domains/system/server/tables.ts";
import { type Column, float4 } from "@infrastructor/lib/db/column.ts";
import { TABLES } from "@infrastructor/lib/db/database.ts";
import { DEFAULT_RETENTION_AGES, isPlainOnBothFlavors, keepMs } from "@infrastructor/lib/db/retention.ts";
import { type AnyTable, table } from "@infrastructor/lib/db/table.ts";
import { migratedDatabase, type TestPostgres } from "@infrastructor/lib/testing/databases.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import { MIGRATIONS_DIR } from "./migrate.ts";
import { intervalMs } from "./testing/lint-timescaledb.ts";
import { type CatalogTable, catalogTables, declaredShape } from "./testing/table-shape.ts";

/**
 * Every table declaration (shared/lib/db/core-tables.ts, shared/domains/<domain>/server/tables.ts)
 * against the migrated catalog: names, columns in order, PostgreSQL types, nullability, keys; and
 * every table of the catalog is declared. The migrations are the truth; the declarations mirror them
 * and everything else (Kysely's Database type, COPY column lists and line order, retention) follows.
 *
 * Plain PostgreSQL only. The TimescaleDB flavor cannot be migrated here, not even against the
 * stand-in extension of shared/lib/testing/relocated-postgres.ts: its migrations set storage parameters
 * in TimescaleDB's namespace (`ALTER TABLE ... SET (timescaledb.compress, ...)`, `CREATE MATERIALIZED
 * VIEW ... WITH (timescaledb.continuous)`), which PostgreSQL refuses ("unrecognized parameter namespace")
 * unless the extension's C library registers them; a stand-in is SQL only. Both flavors create every
 * table in the same shared migration files and the timescaledb files only add what differs (hypertables,
 * policies, the two rollups as continuous aggregates, whose column order migrate.test.ts checks on
 * the plain flavor's twin tables), so the checks below cover the columns of both.
 */
const BOOKKEEPING = ["schema_migrations"];
const declared: readonly AnyTable[] = TABLES;

let pg: TestPostgres;
let catalog: Map<string, CatalogTable>;

beforeAll(async () => {
  pg = await startTestPostgres();
  const db = await migratedDatabase(pg);
  catalog = await catalogTables(db.sql);
  await db.sql.end();
}, 240_000);
afterAll(async () => {
  await pg?.destroy();
});

test("every declaration matches the catalog: columns in order, types, nullability, keys", () => {
  expect(declared.length).toBe(new Set(declared.map((t) => t.name)).size);
  expect(declared.map((t) => catalog.get(t.name)?.shape ?? `${t.name}: not in the catalog`)).toEqual(
    declared.map(declaredShape),
  );
});

test("every table in the catalog is declared, except the migrations' bookkeeping", () => {
  const names = new Set(declared.map((t) => t.name));
  expect([...catalog.keys()].filter((name) => !names.has(name)).sort()).toEqual(BOOKKEEPING);
});

test("a column declared withDefault() has a DEFAULT or is an identity", () => {
  const missing = declared.flatMap((t) =>
    t.columnNames
      .filter((name) => t.columns[name]?.generated === "default")
      .filter((name) => !catalog.get(t.name)?.defaulted.includes(name))
      .map((name) => `${t.name}.${name}`),
  );
  expect(missing).toEqual([]);
});

test("a wrong declaration does not match: swapped columns of one type, a type, a nullability, a key", () => {
  const truth = catalog.get("system_metrics")?.shape;
  expect(truth).toEqual(declaredShape(systemMetrics));
  const columns = systemMetrics.columns;
  const variants = [
    // load_5 before load_1: both real not null, so a test counting fields would not notice.
    swapped(columns, "load_1", "load_5"),
    { ...columns, uptime_s: float4() },
    { ...columns, cpu_pct: float4() },
  ].map((wrong) => table("system_metrics", wrong, { kind: "timeseries", primaryKey: ["device_id", "time"] }));
  const wrongKey = table("system_metrics", systemMetrics.columns, {
    kind: "timeseries",
    primaryKey: ["time", "device_id"],
  });
  for (const wrong of [...variants, wrongKey]) expect(declaredShape(wrong)).not.toEqual(truth);
});

test("retention: each time series and rollup ages out; the TimescaleDB policies keep what the declarations say", async () => {
  const names = (await readdir(MIGRATIONS_DIR)).filter((n) => n.endsWith(".timescaledb.sql"));
  const text = (await Promise.all(names.map((n) => readFile(join(MIGRATIONS_DIR, n), "utf8")))).join("\n");
  const policies = Object.fromEntries(
    [...text.matchAll(/add_retention_policy\('(\w+)',\s*drop_after\s*=>\s*INTERVAL\s*'([^']+)'/g)].map(
      (m) => [m[1], intervalMs(m[2] ?? "")],
    ),
  );
  const aged = declared.filter((t) => t.kind === "timeseries" || t.kind === "rollup");
  expect(aged.filter((t) => t.retention === null).map((t) => t.name)).toEqual([]);
  const expected = Object.fromEntries(
    declared
      .filter((t) => t.retention !== null && !isPlainOnBothFlavors(t))
      .map((t) => [t.name, keepMs(t.retention?.keep ?? "raw", DEFAULT_RETENTION_AGES)]),
  );
  expect(policies).toEqual(expected);
});

function swapped<C extends Record<string, Column<unknown>>>(columns: C, a: keyof C, b: keyof C): C {
  const keys = Object.keys(columns).map((k) => (k === a ? b : k === b ? a : k));
  return Object.fromEntries(keys.map((k) => [k, columns[k]])) as C;
}
