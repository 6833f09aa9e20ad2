import { afterAll, beforeAll, expect, test } from "bun:test";
import { join, resolve } from "node:path";
import { freshDatabase, type TestDatabase, type TestPostgres } from "@infrastructor/lib/testing/databases.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import { freePort } from "../../scripts/lib/free-port.ts";

/**
 * The start-up refusals on a real PostgreSQL that offers an extension named timescaledb. TimescaleDB
 * cannot be installed here, so the server is a relocated copy of this machine's PostgreSQL whose share
 * directory holds a stand-in control file and install scripts (shared/lib/testing/relocated-postgres.ts): the
 * catalog answers (pg_available_extensions, pg_extension.extversion, CREATE EXTENSION) are the server's
 * own; only the extension's content is not TimescaleDB's.
 *
 * What this does not prove: that real TimescaleDB's loader defines `timescaledb.disable_load` in every
 * session when preloaded (read from its src/loader/loader.c, _PG_init); here the "preloaded" databases
 * carry that setting as a placeholder (ALTER DATABASE ... SET), which is all the check reads.
 */
const repo = resolve(import.meta.dir, "../..");
const EXIT_BOUND_MS = 60_000;

let affected: TestPostgres;
let fatal: TestPostgres;
const opened: TestDatabase[] = [];

beforeAll(async () => {
  [affected, fatal] = await Promise.all([
    // Default 2.17.2 (affected by #7672); 2.19.3 offered too, as after a package upgrade.
    startTestPostgres({
      extensions: [
        {
          name: "timescaledb",
          version: "2.17.2",
          script: "CREATE FUNCTION stand_in_version() RETURNS text LANGUAGE sql AS $$ SELECT '2.17.2' $$;",
          otherVersions: [{ version: "2.19.3", script: "SELECT 1;" }],
        },
      ],
    }),
    // A fixed version whose creation ends the session with a real FATAL (57P01), as TimescaleDB's
    // does when it is not preloaded (FATAL XX000 'extension "timescaledb" must be preloaded').
    startTestPostgres({
      extensions: [
        { name: "timescaledb", version: "2.19.3", script: "SELECT pg_terminate_backend(pg_backend_pid());" },
      ],
    }),
  ]);
}, 240_000);

afterAll(async () => {
  await Promise.all(opened.map((db) => db.sql.end()));
  await Promise.all([affected?.destroy(), fatal?.destroy()]);
});

async function database(pg: TestPostgres, loaderPreloaded: boolean): Promise<TestDatabase> {
  const db = await freshDatabase(pg);
  opened.push(db);
  // The setting TimescaleDB's loader defines when preloaded; new sessions of this database see it.
  if (loaderPreloaded)
    await db.sql.unsafe(`ALTER DATABASE "${db.name}" SET timescaledb.disable_load = 'off'`);
  return db;
}

interface Exited {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a program of this repo and waits for it to exit, at most EXIT_BOUND_MS (then kills it: a hang). */
async function run(argv: string[], env: Record<string, string>): Promise<Exited> {
  const started = performance.now();
  const proc = Bun.spawn(["bun", ...argv], {
    cwd: repo,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const bound = setTimeout(() => proc.kill("SIGKILL"), EXIT_BOUND_MS);
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  clearTimeout(bound);
  return { code, stdout, stderr, ms: performance.now() - started };
}

const migrate = (db: TestDatabase): Promise<Exited> =>
  run([join("sql/src/cli.ts")], { DATABASE_URL: db.url });

const collector = (db: TestDatabase): Promise<Exited> =>
  run(["collector/src/main.ts"], {
    DATABASE_URL: db.url,
    // Never reached: the start stops at the schema, before NATS.
    NATS_URL: "nats://127.0.0.1:1",
    COLLECTOR_API_TOKEN: "test-token-0123456789abcdef",
    COLLECTOR_HOST: "127.0.0.1",
    COLLECTOR_PORT: String(freePort()),
    COLLECTOR_TLS: "off",
    LOG_LEVEL: "warn",
  });

async function extensions(db: TestDatabase): Promise<string[]> {
  const rows = await db.sql`SELECT extname || ' ' || extversion AS e FROM pg_extension ORDER BY 1`;
  return rows.map((r) => String(r.e));
}

test("installed but not preloaded: migrate and the collector exit at once saying what to set; nothing created", async () => {
  const db = await database(affected, false);
  const m = await migrate(db);
  expect([m.code, m.stdout]).toEqual([1, ""]);
  expect(m.stderr).toStartWith(
    "CONFIG_INVALID: TimescaleDB is installed on this PostgreSQL server but not preloaded",
  );
  expect(m.stderr).toContain("shared_preload_libraries = 'timescaledb' in postgresql.conf");
  const c = await collector(db);
  expect(c.code).toBe(1);
  expect(c.stderr).toContain(
    "CONFIG_INVALID: TimescaleDB is installed on this PostgreSQL server but not preloaded",
  );
  expect(await extensions(db)).toEqual(["plpgsql 1.0"]);
}, 240_000);

test("an affected default version: both refuse before creating it, naming #7672 and the upgrade", async () => {
  const db = await database(affected, true);
  for (const out of [await migrate(db), await collector(db)]) {
    expect(out.code).toBe(1);
    expect(out.stderr).toContain("CONFIG_INVALID: this server would create timescaledb version 2.17.2");
    expect(out.stderr).toContain("timescale/timescaledb#7672, fixed in 2.18.1");
    expect(out.stderr).toContain("upgrade TimescaleDB to 2.18.1 or later");
  }
  expect(await extensions(db)).toEqual(["plpgsql 1.0"]);
}, 240_000);

test("an affected version already created, a fixed one installed: the refusal says ALTER EXTENSION ... UPDATE", async () => {
  const db = await database(affected, true);
  await db.sql`CREATE EXTENSION timescaledb VERSION '2.17.2'`;
  const [row] = await db.sql`SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'`;
  expect(row?.extversion).toBe("2.17.2");
  const m = await migrate(db);
  expect(m.code).toBe(1);
  expect(m.stderr).toContain("CONFIG_INVALID: this database's timescaledb extension is version 2.17.2");
  expect(m.stderr).toContain(
    "version 2.19.3 is installed on the server: run ALTER EXTENSION timescaledb UPDATE",
  );
  const migrated = await db.sql`SELECT count(*)::int AS n FROM schema_migrations`;
  expect(migrated[0]?.n).toBe(0);
}, 240_000);

test("the server ends the session during CREATE EXTENSION: both exit promptly with the advice, no TypeError, no hang", async () => {
  const db = await database(fatal, true);
  const m = await migrate(db);
  expect(m.code).toBe(1);
  expect(m.stderr).toStartWith("DB_UNAVAILABLE: the server ended the migration session (its log says why)");
  expect(m.stderr).toContain(
    `if the server's log says extension "timescaledb" must be preloaded: set shared_preload_libraries = 'timescaledb'`,
  );
  expect(m.stderr).not.toContain("TypeError");
  const c = await collector(db);
  expect(c.code).toBe(1);
  expect(c.stderr).toContain("DB_UNAVAILABLE: the server ended the migration session");
  expect(c.stderr).not.toContain("TypeError");
  // Well inside the bound (a hang is killed at EXIT_BOUND_MS and fails above with a signal's code).
  expect(Math.max(m.ms, c.ms)).toBeLessThan(EXIT_BOUND_MS);
  console.log(`exit after the FATAL: migrate ${Math.round(m.ms)} ms, collector ${Math.round(c.ms)} ms`);
}, 240_000);
