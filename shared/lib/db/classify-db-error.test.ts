import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import postgres, { type Sql } from "postgres";
import { freePort } from "../../../scripts/lib/free-port.ts";
import { classifyDbError, type DbErrorKind } from "./classify-db-error.ts";

let pg: Awaited<ReturnType<typeof startTestPostgres>>;
let sql: Sql;

beforeAll(async () => {
  pg = await startTestPostgres();
  sql = postgres(pg.url, { max: 2, onnotice: () => {} });
  await sql`CREATE TABLE t (id int PRIMARY KEY, small smallint, doc jsonb, note text NOT NULL DEFAULT '')`;
  await sql`INSERT INTO t (id) VALUES (1)`;
}, 60_000);

afterAll(async () => {
  await sql?.end();
  await pg?.destroy();
});

/** What the real server (or the real client) answers to `run`, classified. */
async function kindOf(run: () => Promise<unknown>): Promise<[DbErrorKind, string]> {
  try {
    await run();
  } catch (err) {
    return [classifyDbError(err), String((err as { code?: unknown }).code)];
  }
  throw new Error("the statement succeeded");
}

describe("classifyDbError against a real PostgreSQL", () => {
  test("values the database refuses are bad_data, never an outage", async () => {
    // NUL in text (22021) and in jsonb (22P05): the poison messages of issue 12
    expect(await kindOf(() => sql`INSERT INTO t (id, note) VALUES (2, ${"a\u0000b"})`)).toEqual([
      "bad_data",
      "22021",
    ]);
    const nulJson = JSON.stringify({ m: "a\u0000b" });
    expect(await kindOf(() => sql`INSERT INTO t (id, doc) VALUES (3, ${nulJson}::text::jsonb)`)).toEqual([
      "bad_data",
      "22P05",
    ]);
    // JSON nested 20,000 deep: "stack depth limit exceeded" (54001) was taken for an outage
    const deep = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;
    expect(await kindOf(() => sql`SELECT ${deep}::text::jsonb`)).toEqual(["bad_data", "54001"]);
    expect(await kindOf(() => sql`INSERT INTO t (id, small) VALUES (4, 70000)`)).toEqual([
      "bad_data",
      "22003",
    ]);
    expect(await kindOf(() => sql`INSERT INTO t (id, note) VALUES (5, NULL)`)).toEqual(["bad_data", "23502"]);
  });

  test("a duplicate key, a bug and a deadlock-class error each get their own kind", async () => {
    expect(await kindOf(() => sql`INSERT INTO t (id) VALUES (1)`)).toEqual(["duplicate", "23505"]);
    expect(await kindOf(() => sql`SELECT no_such_column FROM t`)).toEqual(["internal", "42703"]);
    expect(
      await kindOf(() =>
        sql.begin((tx) => tx`SET LOCAL statement_timeout = 50`.then(() => tx`SELECT pg_sleep(5)`)),
      ),
    ).toEqual(["retry", "57014"]);
  });

  test("a connection killed by the server and a refused connection are unavailable", async () => {
    const victim = postgres(pg.url, { max: 1, onnotice: () => {} });
    try {
      const [me] = await victim`SELECT pg_backend_pid() AS pid`;
      const killed = kindOf(() => victim`SELECT pg_sleep(30)`);
      await sql`SELECT pg_terminate_backend(${me?.pid})`;
      expect((await killed)[0]).toBe("unavailable");
    } finally {
      await victim.end({ timeout: 1 });
    }
    const nowhere = postgres(`postgres://x@127.0.0.1:${freePort()}/x`, { max: 1, connect_timeout: 5 });
    try {
      expect(await kindOf(() => nowhere`SELECT 1`)).toEqual(["unavailable", "ECONNREFUSED"]);
    } finally {
      await nowhere.end({ timeout: 1 });
    }
  });

  test("errors without a code are internal; an AppError DB_UNAVAILABLE stays unavailable", () => {
    expect(classifyDbError(new Error("boom"))).toBe("internal");
    expect(classifyDbError(new AppError(ErrorCode.DB_UNAVAILABLE, "pool timeout"))).toBe("unavailable");
    expect(classifyDbError(null)).toBe("internal");
  });
});
