import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import { AppError } from "@infrastructor/shared/errors.ts";
import { sql as kysql } from "kysely";
import { connectDatabase, type DbHandles } from "./connect.ts";

/** The pool's bounds against a real PostgreSQL: nothing holds or waits for a connection without end. */
let pg: Awaited<ReturnType<typeof startTestPostgres>>;
let handles: DbHandles;
const LIMITS = { acquireTimeoutMs: 300, statementTimeoutMs: 500, idleInTransactionTimeoutMs: 700 };

beforeAll(async () => {
  pg = await startTestPostgres();
  handles = connectDatabase(pg.url, 2, () => undefined, LIMITS);
}, 120_000);

afterAll(async () => {
  await handles?.close();
  await pg?.destroy();
});

test("every session carries statement_timeout and idle_in_transaction_session_timeout", async () => {
  const [row] = await handles.sql<{ st: string; idle: string }[]>`
    SELECT current_setting('statement_timeout') AS st,
           current_setting('idle_in_transaction_session_timeout') AS idle`;
  expect(row).toEqual({ st: "500ms", idle: "700ms" });
  const slow = await handles.sql`SELECT pg_sleep(5)`.then(
    () => "finished",
    (err: { code?: string }) => err.code,
  );
  expect(slow).toBe("57014"); // query_canceled: the server ended it
});

test("a transaction left idle is ended by the server", async () => {
  // A pool of its own: the session the server ends is never handed to the other tests.
  const own = connectDatabase(pg.url, 1, () => undefined, LIMITS);
  try {
    const held = await own.sql.reserve();
    const [me] = await held<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
    await held`BEGIN`;
    await held`SELECT 1`;
    // Idle inside the transaction past 700 ms: PostgreSQL terminates that session (seen from another one).
    await waitFor(
      "the idle transaction's session to end",
      async () => {
        const rows = await handles.sql`SELECT 1 FROM pg_stat_activity WHERE pid = ${me?.pid ?? 0}`;
        return rows.length === 0;
      },
      60_000,
    );
  } finally {
    await own.sql.end({ timeout: 0 }).catch(() => undefined);
  }
}, 60_000);

test("Kysely work gives up waiting for a busy pool with DB_UNAVAILABLE; the pool recovers", async () => {
  const a = await handles.sql.reserve();
  const b = await handles.sql.reserve();
  const err = await kysql`SELECT 1`.execute(handles.db).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe("DB_UNAVAILABLE");
  expect((err as AppError).message).toContain("all 2 of the pool busy");
  a.release();
  b.release();
  // The abandoned wait got a connection later and gave it straight back: both are usable.
  const rows = await Promise.all([
    kysql<{ n: number }>`SELECT 1 AS n`.execute(handles.db),
    kysql<{ n: number }>`SELECT 2 AS n`.execute(handles.db),
  ]);
  expect(rows.map((r) => r.rows[0]?.n)).toEqual([1, 2]);
});

test("a session the server ends under Kysely work is not handed out again: no TypeError, no hang", async () => {
  // A pool of its own: the ended session leaves postgres.js state behind (see release-unless-ended.ts).
  const own = connectDatabase(pg.url, 2, () => undefined, LIMITS);
  try {
    const bound = Bun.sleep(30_000).then(() => "no answer within 30 s");
    const ask = (q: Promise<unknown>) =>
      Promise.race([
        q.then(
          () => "ok",
          (e: { code?: string }) => String(e.code),
        ),
        bound,
      ]);
    // The server ends the session mid-query (FATAL 57P01), as a restart or TimescaleDB's preload FATAL does.
    expect(await ask(kysql`SELECT pg_terminate_backend(pg_backend_pid())`.execute(own.db))).toBe(
      "CONNECTION_CLOSED",
    );
    // Before: the dead connection went back to the pool and the next query on it never settled.
    const next = [];
    for (let i = 0; i < 4; i += 1) next.push(await ask(kysql`SELECT 1`.execute(own.db)));
    expect(next).toEqual(["ok", "ok", "ok", "ok"]);
  } finally {
    await own.sql.end({ timeout: 0 }).catch(() => undefined);
  }
}, 60_000);
