import { expect, test } from "bun:test";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { MIGRATIONS_DIR } from "./migrate.ts";

/**
 * Tables belong in a migration both flavors run; a flavor pair holds only what differs (hypertables and
 * their policies, or plain indexes). Where a pair does create tables (the rollups: continuous aggregates on
 * TimescaleDB, tables on plain PostgreSQL), both copies must match, because only the plain one runs here.
 */
function createTables(sql: string): Map<string, string> {
  const withoutComments = sql.replace(/--[^\n]*/g, "");
  const tables = new Map<string, string>();
  for (const match of withoutComments.matchAll(
    /CREATE TABLE\s+(?:IF NOT EXISTS\s+)?(\w+)\s*\(([\s\S]*?)\);/gi,
  )) {
    tables.set(match[1] as string, (match[2] as string).replace(/\s+/g, " ").trim());
  }
  return tables;
}

test("the twins of every migration pair create the same tables with the same columns", async () => {
  const names = await readdir(MIGRATIONS_DIR);
  const pairs = names
    .filter((n) => n.endsWith(".timescaledb.sql"))
    .map((n) => n.replace(".timescaledb.sql", ""));
  expect(pairs.length).toBeGreaterThan(0);
  for (const id of pairs) {
    const [timescale, plain] = await Promise.all(
      [".timescaledb.sql", ".postgres.sql"].map((suffix) =>
        readFile(join(MIGRATIONS_DIR, `${id}${suffix}`), "utf8"),
      ),
    );
    const a = createTables(timescale as string);
    const b = createTables(plain as string);
    // A continuous aggregate stands for a plain table of the same name (its columns are checked by
    // timescaledb-migration.test.ts against the plain table).
    const aggregates = [...(timescale as string).matchAll(/CREATE MATERIALIZED VIEW\s+(\w+)/gi)].map(
      (m) => m[1],
    );
    expect([id, [...a.keys(), ...aggregates].sort()]).toEqual([id, [...b.keys()].sort()]);
    for (const [table, body] of a) expect([id, table, body]).toEqual([id, table, b.get(table) as string]);
  }
});
