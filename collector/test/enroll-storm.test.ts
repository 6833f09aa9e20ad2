import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type CollectorProcess, spawnCollector } from "@infrastructor/lib/testing/collector-process.ts";
import { type EnrollAnswer, enrollOver, mintToken } from "@infrastructor/lib/testing/enroll-client.ts";
import { systemEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { publishEnvelopes } from "@infrastructor/lib/testing/publish.ts";
import {
  startTestNatsOperator,
  startTestPostgres,
  type TestNatsOperator,
} from "@infrastructor/lib/testing/servers.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import { hostInboxPrefix } from "@infrastructor/shared/subjects.ts";
import { connect, credsAuthenticator, type NatsConnection } from "nats";
import postgres, { type Sql } from "postgres";

/**
 * Issue 12 item 3: concurrent enrollments once held a transaction while the credential issuer waited
 * for a second pooled connection; six of them took the whole pool (DATABASE_POOL_SIZE 6), and ingest,
 * the API, /health and SIGTERM all waited forever. Here 32 enrollments hit the real collector (nats-server
 * in JWT mode issuing real credentials, real PostgreSQL) while two hosts keep publishing.
 */
const STORM = 32;
const STOP_TIMEOUT_MS = 10_000;
let pg: Awaited<ReturnType<typeof startTestPostgres>>;
let nats: TestNatsOperator;
let collector: CollectorProcess;
let sql: Sql;
let env: Record<string, string>;
let base: string;
const open: NatsConnection[] = [];

beforeAll(async () => {
  [pg, nats] = await Promise.all([startTestPostgres(), startTestNatsOperator()]);
  env = {
    DATABASE_URL: pg.url,
    DATABASE_POOL_SIZE: "6", // the default, where six enrollments used to wedge everything
    NATS_URL: nats.url,
    NATS_CREDS: nats.collectorCreds,
    NATS_AUTH_DIR: nats.authDir,
    // This test is about the pool, not the rate limit: every request from 127.0.0.1 is let through.
    ENROLL_RATE_LIMIT_PER_CLIENT: "100000",
    ENROLL_RATE_LIMIT_GLOBAL: "100000",
    COLLECTOR_STOP_TIMEOUT: `${STOP_TIMEOUT_MS}ms`,
    // The message left unacked by the SIGTERM test is redelivered to the next collector this soon.
    INGEST_ACK_WAIT: "15s",
    MCP_HTTP: "off",
  };
  collector = await spawnCollector(env);
  base = `http://127.0.0.1:${collector.port}`;
  sql = postgres(pg.url, { max: 2, onnotice: () => {} });
}, 120_000);

afterAll(async () => {
  for (const nc of open) if (!nc.isClosed()) await nc.close();
  if (collector?.proc.exitCode === null) await collector.kill();
  await sql?.end();
  await Promise.all([pg?.destroy(), nats?.destroy()]);
}, 60_000);

const samples = async (host: string): Promise<number> => {
  const [row] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM system_metrics m JOIN devices d ON d.id = m.device_id
    WHERE d.hostname = ${host}`;
  return row?.n ?? 0;
};

/** Enrolls `host` through the API and connects with the credentials it was given. */
async function enrolledConnection(host: string): Promise<NatsConnection> {
  const answer = await enrollOver(base, await mintToken(base, { host }), host);
  expect([host, answer.status]).toEqual([host, 200]);
  const nc = await connect({
    servers: nats.url,
    authenticator: credsAuthenticator(new TextEncoder().encode(answer.body.creds ?? "")),
    inboxPrefix: hostInboxPrefix(host),
    maxReconnectAttempts: 0,
  });
  open.push(nc);
  return nc;
}

/** Publishes one envelope per host every 50 ms until `stop` resolves; returns how many each sent. */
async function keepPublishing(hosts: string[], stop: Promise<unknown>): Promise<number> {
  const conns = await Promise.all(hosts.map(enrolledConnection));
  let done = false;
  stop.finally(() => {
    done = true;
  });
  let seq = 0;
  while (!done) {
    seq += 1;
    await Promise.all(
      conns.map((nc, i) =>
        publishEnvelopes(nc.jetstream(), [systemEnvelope(hosts[i] ?? "", seq, Date.now(), "storm")]),
      ),
    );
    await Bun.sleep(50);
  }
  return seq;
}

/** A clean answer: enrolled, or refused with a code the installer can print (never a hang or a 500). */
function clean(answer: EnrollAnswer): boolean {
  return answer.status === 200 || (answer.status === 503 && answer.body.error?.code === "DB_UNAVAILABLE");
}

describe("32 concurrent enrollments", () => {
  test("complete or fail cleanly while ingest goes on and /health answers", async () => {
    const hosts = Array.from({ length: STORM }, (_, i) => `storm-${i}`);
    const tokens = await Promise.all(hosts.map((host) => mintToken(base, { host })));
    let release: () => void = () => {};
    const stormOver = new Promise<void>((resolve) => {
      release = resolve;
    });
    const publishing = keepPublishing(["busy-a", "busy-b"], stormOver);
    const healthChecks: number[] = [];
    const polling = (async () => {
      let over = false;
      stormOver.then(() => {
        over = true;
      });
      while (!over) {
        const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(60_000) });
        healthChecks.push(res.status);
        await Bun.sleep(100);
      }
    })();

    const answers = await Promise.all(hosts.map((host, i) => enrollOver(base, tokens[i] ?? "", host)));
    release();
    const sent = await publishing;
    await polling;

    const unclean = answers
      .map((a, i) => ({ host: hosts[i], status: a.status, code: a.body.error?.code }))
      .filter((_, i) => !clean(answers[i] as EnrollAnswer));
    expect(unclean).toEqual([]);
    const enrolled = hosts.filter((_, i) => answers[i]?.status === 200);
    expect(enrolled.length).toBeGreaterThan(0);
    // /health answered throughout (it was polled during the whole storm), and says ok after it.
    expect(healthChecks.length).toBeGreaterThan(0);
    expect((await collector.health()).body.status).toBe("ok");
    // Every envelope published during the storm is stored.
    for (const host of ["busy-a", "busy-b"]) {
      await waitFor(`${host}'s ${sent} samples`, async () => (await samples(host)) === sent, 120_000);
    }
    // Each enrolled host got a live key and used one token use; the refused ones used none.
    const [live] = await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM nats_credentials WHERE hostname LIKE 'storm-%' AND revoked_at IS NULL`;
    const [used] = await sql<{ n: number }[]>`
      SELECT coalesce(sum(uses), 0)::int AS n FROM enrollment_tokens WHERE host LIKE 'storm-%'`;
    expect([live?.n, used?.n]).toEqual([enrolled.length, enrolled.length]);
    // And the credentials work: an enrolled host publishes and is stored.
    const first = enrolled[0] ?? "";
    const nc = await connect({
      servers: nats.url,
      authenticator: credsAuthenticator(
        new TextEncoder().encode(answers[hosts.indexOf(first)]?.body.creds ?? ""),
      ),
      inboxPrefix: hostInboxPrefix(first),
      maxReconnectAttempts: 0,
    });
    open.push(nc);
    await publishEnvelopes(nc.jetstream(), [systemEnvelope(first, 1, Date.now(), "first")]);
    await waitFor(`${first}'s sample`, async () => (await samples(first)) === 1, 60_000);
  }, 240_000);

  test("SIGTERM during a storm, with ingest stuck on a lock, ends the process within its stop timeout", async () => {
    // A writer that cannot finish: the test holds system_metrics locked, so the batch in flight waits
    // (longer than the stop timeout: statement_timeout is 2 minutes by default).
    const locker = await sql.reserve();
    await locker`BEGIN`;
    await locker`LOCK TABLE system_metrics IN ACCESS EXCLUSIVE MODE`;
    try {
      const nc = await enrolledConnection("stuck-host");
      await publishEnvelopes(nc.jetstream(), [systemEnvelope("stuck-host", 1, Date.now(), "stuck")]);
      await waitFor(
        "the collector's write to wait on the lock",
        async () => {
          const [row] = await sql<{ n: number }[]>`
            SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE wait_event_type = 'Lock' AND application_name = 'postgres.js'`;
          return (row?.n ?? 0) > 0;
        },
        60_000,
      );
      const hosts = Array.from({ length: STORM }, (_, i) => `late-${i}`);
      const tokens = await Promise.all(hosts.map((host) => mintToken(base, { host })));
      const storm = hosts.map((host, i) =>
        enrollOver(base, tokens[i] ?? "", host).catch((err: unknown) => String(err)),
      );
      collector.proc.kill("SIGTERM");
      // The bound: the stop timeout plus main.ts's grace, with room for a machine 5x slower than this one.
      const code = await waitFor(
        "the collector to exit after SIGTERM",
        () => collector.proc.exitCode ?? undefined,
        STOP_TIMEOUT_MS + 5_000 + 60_000,
      );
      expect(collector.output()).toContain("stop step cut short");
      expect([0, 1]).toContain(code);
      await Promise.all(storm);
    } finally {
      await locker`ROLLBACK`.catch(() => undefined);
      locker.release();
    }
    // Nothing was lost: the unacked message is delivered again to the next collector.
    collector = await spawnCollector(env);
    await waitFor(
      "stuck-host's sample after the restart",
      async () => (await samples("stuck-host")) === 1,
      120_000,
    );
    await collector.stop();
  }, 240_000);
});
