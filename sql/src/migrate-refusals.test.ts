import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { appendFile, cp, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freshDatabase, type TestDatabase, type TestPostgres } from "@infrastructor/lib/testing/databases.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import postgres from "postgres";
import { MIGRATIONS_DIR, runMigrations } from "./migrate.ts";

let pg: TestPostgres;
const opened: TestDatabase[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  pg = await startTestPostgres();
});
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
afterAll(async () => {
  await Promise.all(opened.map((db) => db.sql.end()));
  await pg?.destroy();
});

/** A migrated database and a private copy of the migrations it was migrated from. */
async function migratedCopy(): Promise<{ db: TestDatabase; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), "infra-migrations-"));
  dirs.push(dir);
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  const db = await freshDatabase(pg);
  opened.push(db);
  const outcome = await runMigrations(db.sql, { dir });
  expect(outcome.error).toBeUndefined();
  return { db, dir };
}

test("a migration edited after it was applied is refused, and nothing else runs", async () => {
  const { db, dir } = await migratedCopy();
  await appendFile(join(dir, "2026-11-25-01-core.sql"), "\n-- a harmless-looking edit\n");
  await writeFile(join(dir, "2099-01-01-01-later.sql"), "CREATE TABLE later (x int);\n");

  const outcome = await runMigrations(db.sql, { dir });
  expect(outcome.error?.code).toBe("CONFIG_INVALID");
  expect(outcome.error?.message).toStartWith("migration 2026-11-25-01-core was edited after it was applied");
  expect(outcome.error?.details?.id).toBe("2026-11-25-01-core");
  expect(outcome.results).toEqual([]);
  const [later] = await db.sql`SELECT to_regclass('later') AS rel`;
  expect(later?.rel).toBeNull();
});

test("an edited flavor file is refused too", async () => {
  const { db, dir } = await migratedCopy();
  await appendFile(join(dir, "2026-11-25-02-timeseries.postgres.sql"), "\n");
  const outcome = await runMigrations(db.sql, { dir });
  expect(outcome.error?.message).toContain("2026-11-25-02-timeseries.postgres.sql no longer matches");
});

test("an applied migration whose file is gone is refused", async () => {
  const { db, dir } = await migratedCopy();
  await rm(join(dir, "2026-11-25-03-device-indexes.sql"));
  const outcome = await runMigrations(db.sql, { dir });
  expect(outcome.error?.code).toBe("CONFIG_INVALID");
  expect(outcome.error?.message).toStartWith(
    "migration 2026-11-25-03-device-indexes was applied but its file is missing",
  );
});

test("a new migration dated before the last applied one is refused", async () => {
  const { db, dir } = await migratedCopy();
  await writeFile(join(dir, "2026-11-24-01-backdated.sql"), "SELECT 1;\n");
  const outcome = await runMigrations(db.sql, { dir });
  expect(outcome.error?.message).toBe(
    `migration 2026-11-24-01-backdated sorts before ${await lastMigrationId()}, which is already applied; give it a later id`,
  );
});

test("badly named files, half pairs and shared sequence numbers are refused", async () => {
  const cases: [string, string][] = [
    ["2099-01-01-01-Oops.sql", "is not a migration name"],
    ["2099-01-01-01-half.timescaledb.sql", "needs both 2099-01-01-01-half.timescaledb.sql and"],
    ["2026-11-25-03-other.sql", "share the sequence 2026-11-25-03"],
  ];
  for (const [name, message] of cases) {
    const { db, dir } = await migratedCopy();
    await writeFile(join(dir, name), "SELECT 1;\n");
    const outcome = await runMigrations(db.sql, { dir });
    expect([name, outcome.error?.code]).toEqual([name, "CONFIG_INVALID"]);
    expect(outcome.error?.message).toContain(message);
  }
});

test("a failing migration rolls back whole, is not recorded, and the error names it", async () => {
  const { db, dir } = await migratedCopy();
  await writeFile(join(dir, "2099-01-01-01-broken.sql"), "CREATE TABLE half_done (x int);\nSELECT 1 / 0;\n");
  const outcome = await runMigrations(db.sql, { dir });
  expect(outcome.error?.code).toBe("INTERNAL");
  expect(outcome.error?.message).toBe("migration 2099-01-01-01-broken failed: division by zero");
  expect(outcome.error?.details).toMatchObject({ id: "2099-01-01-01-broken", sqlState: "22012" });
  const ids = new Set((await readdir(MIGRATIONS_DIR)).map((f) => f.split(".")[0]));
  expect(outcome.results.map((r) => r.status)).toEqual([...ids].map(() => "skipped"));
  const [row] = await db.sql`
    SELECT to_regclass('half_done') AS rel,
      (SELECT count(*)::int FROM schema_migrations WHERE id = '2099-01-01-01-broken') AS recorded
  `;
  expect(row).toEqual({ rel: null, recorded: 0 });
  // The connection went back to the pool usable: no transaction left open, the lock released.
  const again = await runMigrations(db.sql, { dir });
  expect(again.error?.message).toBe("migration 2099-01-01-01-broken failed: division by zero");
});

async function lastMigrationId(): Promise<string> {
  const ids = (await readdir(MIGRATIONS_DIR)).map((f) => f.split(".")[0] ?? "").sort();
  return ids.at(-1) ?? "";
}

test("a migration during which the server ends the session: the error comes back at once, nothing recorded", async () => {
  const { db, dir } = await migratedCopy();
  // A real FATAL from the server mid-migration (57P01), as TimescaleDB's "must be preloaded" is.
  await writeFile(join(dir, "2099-01-01-01-fatal.sql"), "SELECT pg_terminate_backend(pg_backend_pid());\n");
  for (let run = 1; run <= 2; run += 1) {
    // Its own pool: postgres.js keeps the ended session's last query pending, so a graceful end()
    // of that pool would wait forever; the CLI and the collector end theirs with timeout 0 (no hang).
    const sql = postgres(db.url, { max: 2, onnotice: () => undefined });
    const bound = Bun.sleep(60_000).then(() => "no answer within 60 s" as const);
    const outcome = await Promise.race([runMigrations(sql, { dir }), bound]);
    if (outcome === "no answer within 60 s") throw new Error(outcome);
    expect([run, outcome.error?.code]).toEqual([run, "DB_UNAVAILABLE"]);
    expect(outcome.error?.message).toStartWith(
      "the server ended the migration session (its log says why): migration 2099-01-01-01-fatal failed",
    );
    expect(await Promise.race([sql.end({ timeout: 0 }).then(() => "ended"), bound])).toBe("ended");
  }
  const [row] =
    await db.sql`SELECT count(*)::int AS n FROM schema_migrations WHERE id = '2099-01-01-01-fatal'`;
  expect(row?.n).toBe(0);
});
