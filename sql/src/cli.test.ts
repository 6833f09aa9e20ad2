import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { freshDatabase, type TestDatabase, type TestPostgres } from "@infrastructor/lib/testing/databases.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";

let pg: TestPostgres;
let db: TestDatabase;

beforeAll(async () => {
  pg = await startTestPostgres();
  db = await freshDatabase(pg);
});
afterAll(async () => {
  await db?.sql.end();
  await pg?.destroy();
});

async function cli(env: Record<string, string>, args: string[] = []): Promise<[number, string, string]> {
  const proc = Bun.spawn(["bun", join(import.meta.dir, "cli.ts"), ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return [code, out, err];
}

test("migrates DATABASE_URL and prints what it applied, then nothing, and keeps the flavor", async () => {
  const [code, out, err] = await cli({ DATABASE_URL: db.url });
  expect([code, err]).toEqual([0, ""]);
  expect(out).toContain("applied 2026-11-25-01-core (postgres)\n");
  expect(out).toContain("applied 2026-11-25-02-timeseries (postgres)\n");
  expect(out).toMatch(/postgres database: \d+ applied, 0 already applied\n$/);

  const [again, out2] = await cli({ DATABASE_URL: db.url }, ["--flavor=postgres"]);
  expect(again).toBe(0);
  expect(out2).toMatch(/^postgres database: 0 applied, \d+ already applied\n$/);

  expect(await cli({ DATABASE_URL: db.url }, ["--flavor=timescaledb"])).toEqual([
    1,
    "",
    "CONFIG_INVALID: this database was migrated as postgres; its flavor cannot change to timescaledb\n",
  ]);
});

test("exits 1 with CODE: message when it cannot do its job", async () => {
  expect(await cli({})).toEqual([1, "", expect.stringContaining("CONFIG_INVALID: DATABASE_URL is not set")]);
  expect(await cli({ DATABASE_URL: db.url }, ["--flavor=mysql"])).toEqual([
    1,
    "",
    "CONFIG_INVALID: usage: migrate [--flavor=auto|timescaledb|postgres]\n",
  ]);
  const [code, , err] = await cli({ DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
  expect(code).toBe(1);
  expect(err).toStartWith("DB_UNAVAILABLE: cannot connect to PostgreSQL");
});
