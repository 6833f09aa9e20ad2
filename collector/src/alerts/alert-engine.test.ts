import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from "bun:test";
import { type AlertPolicy, DEFAULT_POLICY, type Observation } from "@infrastructor/lib/alerts/alert.ts";
import { acknowledgeAlert, muteAlerts } from "@infrastructor/lib/alerts/alert-actions.ts";
import {
  migratedDatabase,
  type TestDatabase,
  type TestPostgres,
} from "@infrastructor/lib/testing/databases.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import postgres, { type Sql } from "postgres";
import { AlertEngine, type AlertEngineOptions } from "./alert-engine.ts";
import { LeaderElection } from "./leader.ts";
import { OutboxSender } from "./outbox-sender.ts";
import { startWebhookSink, type WebhookSink } from "./testing/webhook-sink.ts";

const MIN = 60_000;
const t0 = new Date("2026-12-02T10:00:00Z");
const at = (minute: number): Date => new Date(t0.getTime() + minute * MIN);

let pg: TestPostgres;
let db: TestDatabase;
let phone: WebhookSink;
let mail: WebhookSink;
let sessions: Sql[] = [];
let engines: AlertEngine[] = [];

beforeAll(async () => {
  pg = await startTestPostgres();
}, 240_000);
beforeEach(async () => {
  db = await migratedDatabase(pg);
  phone = startWebhookSink();
  mail = startWebhookSink();
});
afterEach(async () => {
  for (const e of engines) await e.stop();
  for (const s of sessions) await s.end({ timeout: 0 });
  engines = [];
  sessions = [];
  await phone.stop();
  await mail.stop();
  await db.sql.end();
});
afterAll(async () => {
  await pg?.destroy();
});

function silent(device: string): Observation {
  return {
    key: `host_down|${device}|`,
    rule: "host_down",
    device,
    domain: "agent",
    severity: "critical",
    what: "not reporting",
    evidence: "last seen 2 min ago; expected every 15 s",
    status: "active",
  };
}

/** A collector: its own leader session, the shared database, both channels. */
function collector(
  observe: () => Observation[],
  policy: Partial<AlertPolicy> = {},
  options: Partial<AlertEngineOptions> = {},
): AlertEngine {
  const leader = new LeaderElection(() => {
    const s = postgres(db.url, { max: 1, idle_timeout: 0, max_lifetime: null, onnotice: () => undefined });
    sessions.push(s);
    return s;
  });
  const channels = new Map([
    ["phone", phone.channel("phone")],
    ["mail", mail.channel("mail")],
  ]);
  const engine = new AlertEngine(
    {
      sql: db.sql,
      leader,
      observe: async () => observe(),
      policyOf: () => ({ ...DEFAULT_POLICY, ...policy }),
      channelsOf: () => ["phone", "mail"],
      sender: new OutboxSender(db.sql, channels),
    },
    { groupWaitMs: 0, ...options },
  );
  engines.push(engine);
  return engine;
}

/** Minute by minute from `from` to `to`: evaluate, then send what is due; `before(m)` runs first. */
async function run(
  engine: AlertEngine,
  from: number,
  to: number,
  before: (m: number) => Promise<void> = async () => {},
) {
  for (let m = from; m <= to; m++) {
    await before(m);
    await engine.evaluate(at(m));
    await engine.send();
  }
}

const titles = (r: WebhookSink): string[] => r.delivered().map((x) => x.title);

test("a host silent: after `for`, one notification per channel; back: one resolved", async () => {
  let down = false;
  const engine = collector(() => (down ? [silent("nas")] : []));
  await run(engine, 0, 40, async (m) => {
    down = m >= 2 && m < 20;
  });
  const expected = ["[CRITICAL] nas: not reporting", "[RESOLVED CRITICAL] nas: not reporting"];
  expect(titles(phone)).toEqual(expected);
  expect(titles(mail)).toEqual(expected);
  const history = await db.sql`SELECT kind, at FROM alert_events ORDER BY id`;
  expect(history.map((h) => [h.kind, h.at.toISOString()])).toEqual([
    ["firing", at(7).toISOString()],
    ["resolved", at(25).toISOString()],
  ]);
});

test("the daily digest: once a day from its hour, one message per channel listing what still fires", async () => {
  // From 10:00 to 10:40, digest at 10:30 UTC (minute 630): the two firing notices, then one digest.
  const engine = collector(() => [silent("nas"), silent("db1")], { forMs: 0 }, { digestAtMinute: 630 });
  await run(engine, 0, 40);
  expect(titles(phone)).toEqual([
    "[CRITICAL] db1: not reporting",
    "[CRITICAL] nas: not reporting",
    "[DIGEST] 2 alerts firing (2 critical), 2026-12-02",
  ]);
  const [digest] = await db.sql`SELECT body FROM notification_outbox WHERE dedup_key = 'digest|2026-12-02'`;
  expect(digest?.body).toContain("- [critical] db1: not reporting (since 2026-12-02T10:00:00.000Z)");
  expect(titles(mail)).toHaveLength(3);
});

test("20 hosts silent at once: one grouped notification per channel naming them", async () => {
  const hosts = Array.from({ length: 20 }, (_, i) => `web${String(i).padStart(2, "0")}`);
  const engine = collector(() => hosts.map(silent));
  await run(engine, 0, 6);
  expect(titles(phone)).toEqual(["[CRITICAL] 20 hosts: not reporting"]);
  expect(mail.delivered()[0]?.hosts).toEqual(hosts);
  const [firing] = await db.sql`SELECT count(*)::int AS n FROM alert_events WHERE kind = 'firing'`;
  expect(firing).toEqual({ n: 20 });
});

test("muted: nothing until the mute ends; then what it swallowed, once; the suppressed news kept in the history", async () => {
  const engine = collector(() => [silent("nas")], { repeatMs: 10 * MIN });
  await muteAlerts(db.sql, {
    device: "nas",
    rule: null,
    key: null,
    tag: null,
    until: at(20),
    reason: "moving racks",
    by: "ops",
    now: at(0),
  });
  await run(engine, 0, 19);
  expect(phone.received).toEqual([]);
  // Firing at 5 and its repeat at 15 fell in the mute; at 20 it ends: the alert is told once, and the
  // repeat interval counts from there (next at 30).
  await run(engine, 20, 29);
  expect(titles(phone)).toEqual(["[CRITICAL] nas: not reporting"]);
  await run(engine, 30, 30);
  expect(titles(phone)).toEqual(["[CRITICAL] nas: not reporting", "[CRITICAL] nas: not reporting"]);
  const history = await db.sql`SELECT kind, suppressed, at FROM alert_events ORDER BY id`;
  expect(history.map((h) => [h.kind, h.suppressed, h.at.toISOString()])).toEqual([
    ["firing", "muted", at(5).toISOString()],
    ["repeat", "muted", at(15).toISOString()],
    ["firing", null, at(20).toISOString()],
    ["repeat", null, at(30).toISOString()],
  ]);
});

test("acknowledged: the channels hear who took it, and no repeat follows", async () => {
  const engine = collector(() => [silent("nas")], { repeatMs: 10 * MIN });
  await run(engine, 0, 7);
  await acknowledgeAlert(db.sql, {
    key: "host_down|nas|",
    by: "ana",
    now: at(7),
    channelsOf: () => ["phone", "mail"],
  });
  await run(engine, 8, 40);
  expect(titles(phone)).toEqual([
    "[CRITICAL] nas: not reporting",
    "[ACKNOWLEDGED CRITICAL] nas: not reporting",
  ]);
  const [alert] = await db.sql`SELECT state, acked_by FROM alerts`;
  expect(alert).toEqual({ state: "firing", acked_by: "ana" });
});

test("a flapping host: a few notifications, then one flapping notice, not a storm", async () => {
  let down = false;
  const engine = collector(() => (down ? [silent("nas")] : []), { forMs: 0, clearForMs: 0 });
  await run(engine, 0, 40, async (m) => {
    down = m % 2 === 0;
  });
  // Four flips make it flapping (DEFAULT_POLICY.flap): firing, resolved, firing, then one notice.
  expect(titles(phone)).toEqual([
    "[CRITICAL] nas: not reporting",
    "[RESOLVED CRITICAL] nas: not reporting",
    "[CRITICAL] nas: not reporting",
    "[FLAPPING CRITICAL] nas: not reporting",
  ]);
});

test("a host down inhibits its own other alerts; they are kept in the history as inhibited", async () => {
  const container: Observation = {
    ...silent("nas"),
    key: "container_unhealthy|nas|shop",
    rule: "container_unhealthy",
    domain: "docker",
    severity: "warning",
    what: "container shop unhealthy",
  };
  let hostDown = true;
  const engine = collector(() => (hostDown ? [silent("nas"), container] : [container]));
  await run(engine, 0, 6);
  expect(titles(phone)).toEqual(["[CRITICAL] nas: not reporting"]);
  const history = await db.sql`SELECT alert_key, suppressed FROM alert_events ORDER BY alert_key`;
  expect(history.map((h) => [h.alert_key, h.suppressed])).toEqual([
    ["container_unhealthy|nas|shop", "inhibited"],
    ["host_down|nas|", null],
  ]);
  // The host is back but the container is still unhealthy: once host_down resolves (clear period),
  // the alert it held back is told, once.
  hostDown = false;
  await run(engine, 7, 20);
  expect(titles(phone)).toEqual([
    "[CRITICAL] nas: not reporting",
    "[RESOLVED CRITICAL] nas: not reporting",
    "[WARNING] nas: container shop unhealthy",
  ]);
});

test("a collector killed after the state change committed: the next one sends it, once per dedup key", async () => {
  const evaluator = collector(() => [silent("nas")]);
  // Evaluate only, never send: the process dies right after the commit.
  for (let m = 0; m <= 6; m++) await evaluator.evaluate(at(m));
  await evaluator.stop();
  expect(phone.received).toEqual([]);
  const restarted = collector(() => [silent("nas")]);
  await restarted.send();
  await restarted.send();
  await run(restarted, 7, 10);
  expect(titles(phone)).toEqual(["[CRITICAL] nas: not reporting"]);
  expect(titles(mail)).toEqual(["[CRITICAL] nas: not reporting"]);
});

test("two collectors: one evaluates; the leader killed, the other goes on: one notification, none lost", async () => {
  let down = false;
  const observe = () => (down ? [silent("nas")] : []);
  const a = collector(observe);
  const b = collector(observe);
  const led: string[] = [];
  for (let m = 0; m <= 40; m++) {
    down = m >= 2 && m < 20;
    if (m === 4) {
      // The leader's session dies mid-episode (pending since minute 2).
      // Waits until the backend is gone (PostgreSQL 14+), so b's next check finds the lock free.
      await db.sql`SELECT pg_terminate_backend(pid, 60000) FROM pg_locks WHERE locktype = 'advisory' AND granted`;
    }
    // From then on b asks first in each minute, as a follower whose timer fires before a's would.
    const order: [string, AlertEngine][] =
      m < 4
        ? [
            ["a", a],
            ["b", b],
          ]
        : [
            ["b", b],
            ["a", a],
          ];
    const leading: string[] = [];
    for (const [name, engine] of order) if ((await engine.evaluate(at(m))).led) leading.push(name);
    led.push(leading.sort().join(""));
    await Promise.all([a.send(), b.send()]);
  }
  // Never both in one minute; b took over at minute 4, as the lock was free.
  expect(led.filter((l) => l.length !== 1)).toEqual([]);
  expect(led.slice(0, 6)).toEqual(["a", "a", "a", "a", "b", "b"]);
  const expected = ["[CRITICAL] nas: not reporting", "[RESOLVED CRITICAL] nas: not reporting"];
  expect(titles(phone)).toEqual(expected);
  expect(phone.received).toHaveLength(2);
  expect(titles(mail)).toEqual(expected);
});

test("started: rounds never overlap, and stop waits for the one in flight", async () => {
  let running = 0;
  let most = 0;
  let rounds = 0;
  const engine = new AlertEngine(
    {
      sql: db.sql,
      leader: new LeaderElection(() => {
        const s = postgres(db.url, { max: 1, onnotice: () => undefined });
        sessions.push(s);
        return s;
      }),
      observe: async () => {
        running += 1;
        most = Math.max(most, running);
        await Bun.sleep(30);
        running -= 1;
        rounds += 1;
        return [];
      },
      channelsOf: () => [],
      sender: null,
    },
    { intervalMs: 5, groupWaitMs: 0 },
  );
  engine.start();
  await engine.evaluate(); // one more, asked from outside, waits its turn
  await Bun.sleep(150);
  await engine.stop();
  const after = rounds;
  await Bun.sleep(60);
  expect(most).toBe(1);
  expect(running).toBe(0);
  expect(after).toBeGreaterThan(2);
  expect(rounds).toBe(after);
});
