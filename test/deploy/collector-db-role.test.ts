import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { resolve } from "node:path";
import { connectAsGrafanaReader, runGrafanaReaderScript } from "@infrastructor/lib/testing/grafana-reader.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import postgres, { type Sql } from "postgres";
import { runMigrations } from "../../sql/src/migrate.ts";

/**
 * deploy/timescaledb/init/05-collector-role.sh, run as the database image runs it: the collector's
 * role owns the database and runs the migrations, but is no superuser (before, the collector logged in
 * as POSTGRES_USER, the superuser: COPY ... TO PROGRAM ran commands in the database container).
 * The test cluster's superuser plays POSTGRES_USER; the role gets a name of its own here.
 */
const SCRIPT = resolve(import.meta.dir, "../../deploy/timescaledb/init/05-collector-role.sh");
const ROLE = "collector_test";
let pg: Awaited<ReturnType<typeof startTestPostgres>>;
let admin: Sql;
let collector: Sql;

async function runScript(env: Record<string, string>): Promise<{ exitCode: number; stderr: string }> {
  const proc = Bun.spawn(["sh", SCRIPT], {
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      PGHOST: "127.0.0.1",
      PGPORT: String(pg.port),
      POSTGRES_USER: pg.user,
      POSTGRES_DB: pg.database,
      COLLECTOR_DB_ROLE: ROLE,
      ...env,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [exitCode, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
  return { exitCode, stderr };
}

async function sqlState(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return String((err as { code?: string }).code);
  }
  return "no error";
}

beforeAll(async () => {
  pg = await startTestPostgres();
  admin = postgres(pg.url, { max: 1, onnotice: () => {} });
}, 120_000);

afterAll(async () => {
  await collector?.end();
  await admin?.end();
  await pg?.destroy();
});

describe("deploy/timescaledb/init/05-collector-role.sh", () => {
  test("refuses to run without COLLECTOR_DB_PASSWORD, creating nothing", async () => {
    const run = await runScript({});
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain("COLLECTOR_DB_PASSWORD");
    expect(await admin`SELECT 1 FROM pg_roles WHERE rolname = ${ROLE}`).toHaveLength(0);
  });

  test("the role owns the database, migrates it, and is no superuser", async () => {
    const run = await runScript({ COLLECTOR_DB_PASSWORD: "a-password-with-'quotes'-and-\"doubles\"" });
    expect(run).toEqual({ exitCode: 0, stderr: "" });
    const [role] = await admin`
      SELECT rolsuper, rolcreaterole, rolcreatedb, rolcanlogin FROM pg_roles WHERE rolname = ${ROLE}`;
    expect(role).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolcanlogin: true });
    const [db] = await admin`
      SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = ${pg.database}`;
    expect(db?.owner).toBe(ROLE);
    // The test cluster trusts local logins, so the password is not what is tested here.
    collector = postgres({
      host: "127.0.0.1",
      port: pg.port,
      database: pg.database,
      username: ROLE,
      max: 2,
      onnotice: () => {},
    });
    const outcome = await runMigrations(collector, { flavor: "postgres" });
    expect(outcome.error).toBeUndefined();
    expect((await collector`SELECT count(*)::int AS n FROM devices`)[0]?.n).toBe(0);
  }, 120_000);

  test("the collector's role cannot run programs, read server files or make roles", async () => {
    expect(await sqlState(collector.unsafe("COPY (SELECT 1) TO PROGRAM 'true'"))).toBe("42501");
    expect(await sqlState(collector`SELECT pg_read_file('/etc/passwd')`)).toBe("42501");
    expect(await sqlState(collector.unsafe("CREATE ROLE intruder SUPERUSER"))).toBe("42501");
    expect(await sqlState(collector.unsafe(`ALTER ROLE ${ROLE} SUPERUSER`))).toBe("42501");
  });

  test("CREATE EXTENSION IF NOT EXISTS of an extension the superuser made is a no-op for the owner", async () => {
    // As timescaledb in production: the image's init creates it; the migrations ask again. file_fdw
    // is likewise untrusted (only a superuser may create it).
    await admin.unsafe("CREATE EXTENSION IF NOT EXISTS file_fdw");
    expect(await sqlState(collector.unsafe("CREATE EXTENSION IF NOT EXISTS file_fdw"))).toBe("no error");
    await admin.unsafe("DROP EXTENSION file_fdw");
    expect(await sqlState(collector.unsafe("CREATE EXTENSION file_fdw"))).toBe("42501");
  });

  test("grafana_reader reads the tables the collector's role created", async () => {
    const run = await runGrafanaReaderScript(pg, "reader-password", { COLLECTOR_DB_ROLE: ROLE });
    expect(run.exitCode).toBe(0);
    await collector.unsafe("CREATE TABLE made_later (x int)");
    const reader = connectAsGrafanaReader(pg);
    try {
      expect((await reader`SELECT count(*)::int AS n FROM made_later`)[0]?.n).toBe(0);
      expect((await reader`SELECT count(*)::int AS n FROM devices`)[0]?.n).toBe(0);
    } finally {
      await reader.end();
    }
  });
});
