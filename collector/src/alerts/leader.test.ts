import { afterAll, beforeAll, expect, test } from "bun:test";
import {
  migratedDatabase,
  type TestDatabase,
  type TestPostgres,
} from "@infrastructor/lib/testing/databases.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import { startTcpRelay } from "@infrastructor/lib/testing/tcp-relay.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import postgres, { type Sql } from "postgres";
import { ALERT_LEADER_LOCK, LeaderElection } from "./leader.ts";

let pg: TestPostgres;
let db: TestDatabase;
const pools: Sql[] = [];

beforeAll(async () => {
  pg = await startTestPostgres();
  db = await migratedDatabase(pg);
}, 240_000);
afterAll(async () => {
  for (const pool of pools) await pool.end({ timeout: 1 });
  await db?.sql.end();
  await pg?.destroy();
});

/** A collector's own connections, as two collector processes would each open (`url`: another way in). */
function collector(url: string = db.url): () => Sql {
  return () => {
    const session = postgres(url, {
      max: 1,
      idle_timeout: 0,
      max_lifetime: null,
      onnotice: () => undefined,
    });
    pools.push(session);
    return session;
  };
}

async function holders(): Promise<number[]> {
  const rows = await db.sql<{ pid: number }[]>`
    SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = ${ALERT_LEADER_LOCK} AND granted`;
  return rows.map((r) => r.pid);
}

test("two collectors: one leads; its backend killed, the other leads at its next check; never both", async () => {
  const a = new LeaderElection(collector());
  const b = new LeaderElection(collector());
  expect([await a.check(), await b.check()]).toEqual([true, false]);
  // Checks repeat every interval: the roles stay.
  expect([await a.check(), await b.check(), await a.check()]).toEqual([true, false, true]);
  const [leaderPid] = await holders();
  expect(await holders()).toHaveLength(1);
  await db.sql.begin(async (tx) => expect(await a.stillLeads(tx)).toBe(true));
  await db.sql.begin(async (tx) => expect(await b.stillLeads(tx)).toBe(false));

  // The leader's session dies (the process, its host or the network): the lock goes with it.
  // With a timeout it returns once the backend is gone (PostgreSQL 14+), not when the signal is sent.
  await db.sql`SELECT pg_terminate_backend(${leaderPid as number}, 60000)`;
  // Before a's next check it still believes it leads; its writes are fenced.
  expect(a.isLeader).toBe(true);
  await db.sql.begin(async (tx) => expect(await a.stillLeads(tx)).toBe(false));
  // One interval later: b's check takes the lead, a's check learns it lost.
  expect(await b.check()).toBe(true);
  expect(await a.check()).toBe(false);
  expect(await holders()).toHaveLength(1);
  await db.sql.begin(async (tx) =>
    expect([await a.stillLeads(tx), await b.stillLeads(tx)]).toEqual([false, true]),
  );

  // A clean stop resigns: the other takes over at its next check.
  await b.resign();
  expect(await holders()).toEqual([]);
  expect([await a.check(), await b.check()]).toEqual([true, false]);
  expect(await holders()).toHaveLength(1);
  await a.resign();
});

test("a collector that stops without resigning (its connection closed) loses the lead; the other takes it", async () => {
  const a = new LeaderElection(collector());
  const b = new LeaderElection(collector());
  expect(await a.check()).toBe(true);
  expect(await b.check()).toBe(false);
  for (const session of pools) await session.end({ timeout: 0 });
  expect(await b.check()).toBe(true);
  expect(await a.check()).toBe(false);
  expect(await holders()).toHaveLength(1);
  await b.resign();
});

test("a leader whose host vanishes without a word: the server ends its silent session, the other leads; the lost one never hangs", async () => {
  // The leader reaches PostgreSQL through a relay the test can partition: its packets stop, nothing closes.
  const relay = await startTcpRelay("127.0.0.1", () => pg.port);
  try {
    const timeoutMs = 4_000;
    const a = new LeaderElection(collector(db.url.replace(`:${pg.port}/`, `:${relay.port}/`)), {
      sessionTimeoutMs: timeoutMs,
    });
    const b = new LeaderElection(collector(), { sessionTimeoutMs: timeoutMs });
    expect(await a.check()).toBe(true);
    expect(await b.check()).toBe(false);
    // Quiet for longer than the timeout: the heartbeat keeps a living leader's session.
    await Bun.sleep(2 * timeoutMs);
    expect([await a.check(), await b.check()]).toEqual([true, false]);

    relay.partition();
    // Without a session timeout the server keeps the silent session, and its lock, until TCP gives up (hours).
    await waitFor("the follower takes the lead", () => b.check(), 30 * timeoutMs, 200);
    expect(await holders()).toHaveLength(1);
    await db.sql.begin(async (tx) =>
      expect([await a.stillLeads(tx), await b.stillLeads(tx)]).toEqual([false, true]),
    );
    // The partitioned leader's questions get no answer: it counts the lead as lost instead of waiting.
    expect(await a.check()).toBe(false);
    expect(a.isLeader).toBe(false);
    await a.resign();
    await b.resign();
  } finally {
    await relay.close();
  }
}, 120_000);
