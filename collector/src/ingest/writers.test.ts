import { afterAll, beforeAll, expect, test } from "bun:test";
import { TABLES } from "@infrastructor/lib/db/database.ts";
import type { AnyTable } from "@infrastructor/lib/db/table.ts";
import {
  migratedDatabase,
  type TestDatabase,
  type TestPostgres,
} from "@infrastructor/lib/testing/databases.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import { DomainSchemas } from "@infrastructor/shared/domains.ts";
import { TIME_SERIES_TABLES, WRITERS } from "./writers.ts";

let pg: TestPostgres;
let db: TestDatabase;

beforeAll(async () => {
  pg = await startTestPostgres();
  db = await migratedDatabase(pg);
}, 60_000);
afterAll(async () => {
  await db?.sql.end();
  await pg?.destroy();
});

test("every writer belongs to a known domain and names its own domain", () => {
  for (const [domain, writer] of Object.entries(WRITERS)) {
    expect(Object.hasOwn(DomainSchemas, domain)).toBe(true);
    expect(writer?.domain).toBe(domain as never);
  }
});

test("every time-series table a writer COPYs into exists with those columns, and its unique key has time", async () => {
  for (const table of TIME_SERIES_TABLES) {
    const columns = await db.sql<{ column_name: string }[]>`
      SELECT column_name FROM information_schema.columns WHERE table_name = ${table.name}`;
    const have = new Set(columns.map((c) => c.column_name));
    expect([table.name, table.columns.filter((c) => !have.has(c))]).toEqual([table.name, []]);
    const keys = await db.sql<{ def: string }[]>`
      SELECT pg_get_indexdef(indexrelid) AS def FROM pg_index
      WHERE indrelid = ${table.name}::regclass AND indisunique`;
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key.def).toContain('"time"');
  }
});

test("the writers' time series are the declared ones, each with its declaration's columns in order", () => {
  const declared = (TABLES as readonly AnyTable[]).filter((t) => t.kind === "timeseries");
  expect(TIME_SERIES_TABLES.map((t) => [t.name, [...t.columns]]).sort()).toEqual(
    declared.map((t) => [t.name, [...t.columnNames]]).sort(),
  );
});
