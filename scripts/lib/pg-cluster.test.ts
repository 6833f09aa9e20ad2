import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres, { type Sql } from "postgres";
import { runMigrations } from "../../sql/src/migrate.ts";
import { freePort } from "./free-port.ts";
import { PgCluster, postgresBinDir } from "./pg-cluster.ts";

// The local stack's cluster (auth "password"), attacked as a local user would: before, initdb
// --auth=trust on 127.0.0.1 made every local account its superuser, and COPY ... TO PROGRAM ran
// commands as postgres.
let dataDir: string;
let secrets: string;
let pg: PgCluster;
let app: Sql;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "infra-pg-auth-"));
  secrets = await mkdtemp(join(tmpdir(), "infra-pg-secret-"));
  const passwordFile = join(secrets, "db-password");
  await writeFile(passwordFile, randomBytes(24).toString("hex"), { mode: 0o600 });
  pg = new PgCluster({
    dataDir,
    port: freePort(),
    database: "infrastructor",
    durable: false,
    auth: "password",
    passwordFile,
  });
  await pg.init();
  await pg.start();
  await pg.createDatabase();
  app = postgres(pg.url, { max: 2, onnotice: () => {} });
}, 120_000);

afterAll(async () => {
  await app?.end();
  if (pg !== undefined && (await pg.isRunning())) await pg.stop("immediate");
  await rm(dataDir, { recursive: true, force: true });
  await rm(secrets, { recursive: true, force: true });
});

async function sqlState(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return String((err as { code?: string }).code);
  }
  return "no error";
}

/** psql as another local account (nobody: it exists on Debian; nothing is added to this machine). */
async function psqlAs(user: string, args: string[]): Promise<{ exitCode: number; stderr: string }> {
  const proc = Bun.spawn(
    ["runuser", "-u", user, "--", join(postgresBinDir(), "psql"), "-X", "-w", ...args, "-c", "SELECT 1"],
    { env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, stdin: "ignore", stdout: "pipe", stderr: "pipe" },
  );
  const [exitCode, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
  return { exitCode, stderr };
}

describe("the local stack's PostgreSQL (auth password)", () => {
  test("the application role logs in with its password, owns its database and runs the migrations", async () => {
    const [me] = await app`
      SELECT current_user AS name, rolsuper, rolcreaterole, rolcreatedb
      FROM pg_roles WHERE rolname = current_user`;
    expect(me).toEqual({ name: "infrastructor", rolsuper: false, rolcreaterole: false, rolcreatedb: false });
    const outcome = await runMigrations(app, { flavor: "postgres" });
    expect(outcome.error).toBeUndefined();
    expect((await app`SELECT count(*)::int AS n FROM devices`)[0]?.n).toBe(0);
  }, 120_000);

  test("the application role cannot run programs, read server files, or make roles and databases", async () => {
    // In the data directory, which the server account may write: only the refusal keeps it absent.
    const marker = join(dataDir, "copy-to-program-ran");
    expect(await sqlState(app.unsafe(`COPY (SELECT 1) TO PROGRAM 'touch ${marker}'`))).toBe("42501");
    expect(existsSync(marker)).toBe(false);
    expect(await sqlState(app`SELECT pg_read_file('/etc/passwd')`)).toBe("42501");
    expect(await sqlState(app.unsafe("CREATE ROLE intruder SUPERUSER LOGIN"))).toBe("42501");
    expect(await sqlState(app.unsafe("ALTER ROLE infrastructor SUPERUSER"))).toBe("42501");
    expect(await sqlState(app.unsafe("CREATE DATABASE other"))).toBe("42501");
  });

  test("without the password nobody gets in over TCP, as the application or as a superuser", async () => {
    for (const username of ["infrastructor", "postgres", "root"]) {
      const sql = postgres({ host: "127.0.0.1", port: pg.port, database: "postgres", username, max: 1 });
      // 28P01: invalid password; postgres.js without a password fails before sending one.
      expect(await sqlState(sql`SELECT 1`)).not.toBe("no error");
      await sql.end();
    }
    const wrong = postgres({
      host: "127.0.0.1",
      port: pg.port,
      database: "infrastructor",
      username: "infrastructor",
      password: "not-the-password-0123456789",
      max: 1,
    });
    expect(await sqlState(wrong`SELECT 1`)).toBe("28P01");
    await wrong.end();
  });

  test("another local account cannot connect as superuser: not over TCP, not through the socket", async () => {
    const tcp = await psqlAs("nobody", [
      "-h",
      "127.0.0.1",
      "-p",
      String(pg.port),
      "-U",
      "postgres",
      "-d",
      "postgres",
    ]);
    expect(tcp.exitCode).not.toBe(0);
    expect(tcp.stderr).toMatch(/password/);
    const socket = await psqlAs("nobody", [
      "-h",
      dataDir,
      "-p",
      String(pg.port),
      "-U",
      "postgres",
      "-d",
      "postgres",
    ]);
    expect(socket.exitCode).not.toBe(0);
    expect(socket.stderr).toMatch(/Permission denied|peer authentication failed/);
  });

  test("a cluster made with trust authentication is recognised (the stack refuses to use it)", async () => {
    expect(pg.trustsEveryone()).toBe(false);
    const old = await mkdtemp(join(tmpdir(), "infra-pg-trust-"));
    try {
      const trusting = new PgCluster({ dataDir: old, port: freePort(), database: "x", durable: false });
      await trusting.init();
      expect(trusting.trustsEveryone()).toBe(true);
    } finally {
      await rm(old, { recursive: true, force: true });
    }
  }, 120_000);
});
