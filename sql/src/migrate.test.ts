import { afterAll, beforeAll, expect, test } from "bun:test";
import { readdir } from "node:fs/promises";
import { systemMetricsHourly } from "@infrastructor/domains/system/server/tables.ts";
import { TABLES } from "@infrastructor/lib/db/database.ts";
import type { AnyTable } from "@infrastructor/lib/db/table.ts";
import { freshDatabase, type TestDatabase, type TestPostgres } from "@infrastructor/lib/testing/databases.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import postgres from "postgres";
import { MIGRATIONS_DIR, runMigrations } from "./migrate.ts";
import { catalogSnapshot } from "./testing/catalog.ts";

let pg: TestPostgres;
const opened: TestDatabase[] = [];

beforeAll(async () => {
  pg = await startTestPostgres();
});
afterAll(async () => {
  await Promise.all(opened.map((db) => db.sql.end()));
  await pg?.destroy();
});

async function fresh(): Promise<TestDatabase> {
  const db = await freshDatabase(pg);
  opened.push(db);
  return db;
}

async function migrationIds(): Promise<string[]> {
  const names = (await readdir(MIGRATIONS_DIR)).filter((n) => n.endsWith(".sql"));
  return [...new Set(names.map((n) => n.replace(/(\.timescaledb|\.postgres)?\.sql$/, "")))].sort();
}

test("an empty database gets every table and column of the table declarations", async () => {
  const { sql } = await fresh();
  const outcome = await runMigrations(sql);
  expect(outcome.error).toBeUndefined();
  expect(outcome.flavor).toBe("postgres");
  expect(outcome.results).toEqual(
    (await migrationIds()).map((id) => ({ id, flavor: "postgres", status: "applied" as const })),
  );

  const rows = await sql<
    { table_name: string; column_name: string; data_type: string; is_nullable: string }[]
  >`
    SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
    WHERE table_schema = 'public' ORDER BY table_name, ordinal_position
  `;
  expect(TABLES.length).toBeGreaterThanOrEqual(10);
  for (const { name: table, columns } of TABLES as readonly AnyTable[]) {
    const actual = rows.filter((r) => r.table_name === table);
    expect([table, actual.map((r) => r.column_name).sort()]).toEqual([table, Object.keys(columns).sort()]);
    for (const r of actual) {
      const column = columns[r.column_name];
      // information_schema names every array type ARRAY (format_type's text[] is in the catalog test).
      const dataType: string = column?.pgType.endsWith("[]") ? "ARRAY" : (column?.pgType ?? "undeclared");
      expect([`${table}.${r.column_name}`, r.data_type]).toEqual([`${table}.${r.column_name}`, dataType]);
      expect([`${table}.${r.column_name}`, r.is_nullable]).toEqual([
        `${table}.${r.column_name}`,
        column?.isNullable ? "YES" : "NO",
      ]);
    }
  }
});

test("the rollup tables have the declaration's columns in its order (the continuous aggregates' order)", async () => {
  const { sql } = await fresh();
  expect((await runMigrations(sql)).error).toBeUndefined();
  const rollup = [...systemMetricsHourly.columnNames];
  for (const table of ["system_metrics_hourly", "system_metrics_daily"]) {
    const rows = await sql<{ column_name: string }[]>`
      SELECT column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = ${table} ORDER BY ordinal_position
    `;
    expect(rows.map((r) => r.column_name)).toEqual(rollup);
  }
});

test("applying again applies nothing and changes nothing", async () => {
  const { sql } = await fresh();
  expect((await runMigrations(sql)).error).toBeUndefined();
  const before = await catalogSnapshot(sql);
  const again = await runMigrations(sql);
  expect(again.error).toBeUndefined();
  expect(again.results.every((r) => r.status === "skipped")).toBe(true);
  expect(again.results.length).toBe((await migrationIds()).length);
  expect(await catalogSnapshot(sql)).toBe(before);
});

test("flavor: auto finds plain PostgreSQL here, and a recorded flavor cannot change", async () => {
  const { sql } = await fresh();
  const refused = await runMigrations(sql, { flavor: "timescaledb" });
  expect(refused.error?.code).toBe("CONFIG_INVALID");
  expect(refused.error?.message).toContain("does not offer the timescaledb extension");
  expect(refused.results).toEqual([]);

  expect((await runMigrations(sql, { flavor: "auto" })).flavor).toBe("postgres");
  const changed = await runMigrations(sql, { flavor: "timescaledb" });
  expect(changed.error?.message).toBe(
    "this database was migrated as postgres; its flavor cannot change to timescaledb",
  );
  const flavors = await sql`SELECT DISTINCT flavor FROM schema_migrations`;
  expect(flavors.map((r) => r.flavor)).toEqual(["postgres"]);
});

test("concurrent runners take turns: each migration is applied exactly once", async () => {
  const { url, sql } = await fresh();
  const pools = Array.from({ length: 6 }, () => postgres(url, { max: 2, onnotice: () => undefined }));
  try {
    const outcomes = await Promise.all(pools.map((p) => runMigrations(p)));
    expect(outcomes.map((o) => o.error)).toEqual(outcomes.map(() => undefined));
    const applied = outcomes.flatMap((o) => o.results.filter((r) => r.status === "applied").map((r) => r.id));
    expect(applied.sort()).toEqual(await migrationIds());
    const [row] = await sql`SELECT count(*)::int AS n FROM schema_migrations`;
    expect(row?.n).toBe(applied.length);
  } finally {
    await Promise.all(pools.map((p) => p.end()));
  }
});

test("an unreachable server is DB_UNAVAILABLE, not a throw", async () => {
  const sql = postgres("postgres://nobody@127.0.0.1:1/none", { max: 1, connect_timeout: 2 });
  const outcome = await runMigrations(sql);
  await sql.end();
  expect(outcome.error?.code).toBe("DB_UNAVAILABLE");
  expect(outcome.error?.message).toStartWith("cannot connect to PostgreSQL");
  expect(outcome.results).toEqual([]);
});
