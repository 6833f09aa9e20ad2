import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from "bun:test";
import { enqueue } from "@infrastructor/lib/alerts/alert-store.ts";
import type { Channel, Notification } from "@infrastructor/lib/notify/channel.ts";
import {
  migratedDatabase,
  type TestDatabase,
  type TestPostgres,
} from "@infrastructor/lib/testing/databases.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import postgres from "postgres";
import { channelHealth } from "./channel-health.ts";
import { OutboxSender, type OutboxSenderOptions } from "./outbox-sender.ts";
import { startWebhookSink, type WebhookSink } from "./testing/webhook-sink.ts";

let pg: TestPostgres;
let db: TestDatabase;
let receivers: WebhookSink[] = [];

beforeAll(async () => {
  pg = await startTestPostgres();
}, 240_000);
beforeEach(async () => {
  db = await migratedDatabase(pg);
});
afterEach(async () => {
  for (const r of receivers) await r.stop();
  receivers = [];
  await db.sql.end();
});
afterAll(async () => {
  await pg?.destroy();
});

/** Short settings: the same code paths as production, in milliseconds instead of minutes. */
const FAST: Partial<OutboxSenderOptions> = {
  sendTimeoutMs: 2_000,
  leaseMs: 5_000,
  backoff: { baseMs: 40, maxMs: 160, retryAfterCapMs: 1_000 },
  failingAfter: { ms: 60_000, attempts: 3 },
};

function receiver(): WebhookSink {
  const r = startWebhookSink();
  receivers.push(r);
  return r;
}

function note(key: string): Notification {
  return {
    dedupKey: key,
    kind: "firing",
    severity: "critical",
    title: `t ${key}`,
    body: "b",
    hosts: ["nas"],
    at: new Date(),
  };
}

/** Runs sender rounds until `done` holds (each round sends whatever is due by then), for up to a minute. */
async function until(sender: OutboxSender, done: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!done() && Date.now() < deadline) {
    await sender.sendDue();
    if (!done()) await Bun.sleep(20);
  }
  expect(done()).toBe(true);
}

async function outbox(): Promise<
  {
    dedup_key: string;
    channel: string;
    attempts: number;
    sent: boolean;
    failed: boolean;
    last_error: string | null;
  }[]
> {
  return await db.sql`
    SELECT dedup_key, channel, attempts, sent_at IS NOT NULL AS sent, failed_at IS NOT NULL AS failed, last_error
    FROM notification_outbox ORDER BY id`;
}

test("a retryable failure waits with a doubling backoff, then the same dedup key is delivered once", async () => {
  const r = receiver();
  r.respond = (i) => ({ status: i < 3 ? 503 : 200 });
  const sender = new OutboxSender(db.sql, new Map([["phone", r.channel("phone")]]), FAST);
  await enqueue(db.sql, [{ n: note("k1"), channel: "phone" }]);
  const started = Date.now();
  await until(sender, () => r.delivered().length === 1);
  // Three waits of 40, 80, 160 ms at least (the server answered 503 three times).
  expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  expect(r.received.map((x) => [x.dedupKey, x.status])).toEqual([
    ["k1", 503],
    ["k1", 503],
    ["k1", 503],
    ["k1", 200],
  ]);
  expect(await outbox()).toEqual([
    { dedup_key: "k1", channel: "phone", attempts: 4, sent: true, failed: false, last_error: null },
  ]);
  await sender.sendDue();
  expect(r.received).toHaveLength(4);
});

test("a server's Retry-After longer than the backoff is honoured", async () => {
  const r = receiver();
  r.respond = (i) => (i === 0 ? { status: 429, retryAfterS: 1 } : { status: 200 });
  const sender = new OutboxSender(db.sql, new Map([["phone", r.channel("phone")]]), FAST);
  await enqueue(db.sql, [{ n: note("k1"), channel: "phone" }]);
  await sender.sendDue();
  const [row] = await db.sql<{ wait_ms: number }[]>`
    SELECT extract(epoch FROM next_attempt_at - now()) * 1000 AS wait_ms FROM notification_outbox`;
  expect(Number(row?.wait_ms)).toBeGreaterThan(700);
  await sender.sendDue();
  expect(r.received).toHaveLength(1);
});

test("a permanent failure is kept as failed with the channel's message and not retried", async () => {
  const r = receiver();
  r.respond = () => ({ status: 401 });
  const sender = new OutboxSender(db.sql, new Map([["phone", r.channel("phone")]]), FAST);
  await enqueue(db.sql, [{ n: note("k1"), channel: "phone" }]);
  expect(await sender.sendDue()).toEqual({ sent: 0, retried: 0, failed: 1 });
  await Bun.sleep(100);
  expect(await sender.sendDue()).toEqual({ sent: 0, retried: 0, failed: 0 });
  expect(await outbox()).toEqual([
    {
      dedup_key: "k1",
      channel: "phone",
      attempts: 1,
      sent: false,
      failed: true,
      last_error: "webhook+http channel phone: HTTP 401: no",
    },
  ]);
});

test("a channel down for a while: retried, reported once on the other channel, delivered and recovered when back", async () => {
  const down = receiver();
  const other = receiver();
  let up = false;
  down.respond = () => ({ status: up ? 200 : 500 });
  const channels = new Map([
    ["phone", down.channel("phone")],
    ["mail", other.channel("mail")],
  ]);
  const sender = new OutboxSender(db.sql, channels, FAST);
  await enqueue(db.sql, [
    { n: note("k1"), channel: "phone" },
    { n: note("k2"), channel: "phone" },
  ]);
  await until(sender, () => down.received.length >= 8);
  const health = await channelHealth(db.sql, { ms: 60_000, attempts: 3 });
  expect(health.find((h) => h.channel === "phone")).toMatchObject({
    channel: "phone",
    failing: true,
    lastError: "webhook+http channel phone: HTTP 500: no",
  });
  // Reported once for the outage, however many failures followed.
  expect(other.delivered().map((x) => x.title)).toEqual(["[WARNING] alert channel phone is failing"]);

  up = true;
  await until(sender, () => down.delivered().length === 2 && other.delivered().length === 2);
  expect(
    down
      .delivered()
      .map((x) => x.dedupKey)
      .sort(),
  ).toEqual(["k1", "k2"]);
  expect(other.delivered()[1]?.title).toBe("[RESOLVED WARNING] alert channel phone delivers again");
  const after = await channelHealth(db.sql, { ms: 60_000, attempts: 3 });
  expect(after.find((h) => h.channel === "phone")).toMatchObject({
    failing: false,
    failures: 0,
  });
});

test("two senders on two pools: each row delivered once", async () => {
  const r = receiver();
  const other = postgres(db.url, { max: 4, onnotice: () => undefined });
  const a = new OutboxSender(db.sql, new Map([["phone", r.channel("phone")]]), {
    ...FAST,
    batch: 7,
  });
  const b = new OutboxSender(other, new Map([["phone", r.channel("phone")]]), { ...FAST, batch: 7 });
  const keys = Array.from({ length: 60 }, (_, i) => `k${i}`);
  await enqueue(
    db.sql,
    keys.map((k) => ({ n: note(k), channel: "phone" })),
  );
  for (let i = 0; i < 20 && r.received.length < keys.length; i++)
    await Promise.all([a.sendDue(), b.sendDue()]);
  await other.end();
  expect(r.received.map((x) => x.dedupKey).sort()).toEqual([...keys].sort());
  expect((a.totals.get("phone")?.sent ?? 0) + (b.totals.get("phone")?.sent ?? 0)).toBe(keys.length);
  expect(a.totals.get("phone")?.sent).toBeGreaterThan(0);
  expect(b.totals.get("phone")?.sent).toBeGreaterThan(0);
});

test("a sender that dies after the commit (or mid-send): another sends it after the lease, once per dedup key", async () => {
  const r = receiver();
  // The state change and its notifications committed; the first sender claims them and never returns.
  await enqueue(db.sql, [
    { n: note("k1"), channel: "phone" },
    { n: note("k2"), channel: "phone" },
  ]);
  const hanging: Channel = {
    name: "phone",
    scheme: "test",
    redacted: "test:",
    send: () => new Promise(() => {}),
  };
  const dead = new OutboxSender(db.sql, new Map([["phone", hanging]]), { ...FAST, leaseMs: 300 });
  const abandoned = new AbortController();
  void dead.sendDue(abandoned.signal);
  await Bun.sleep(50);
  abandoned.abort();
  const fresh = new OutboxSender(db.sql, new Map([["phone", r.channel("phone")]]), FAST);
  // Within the lease nothing is due: a live sender is still on it.
  await fresh.sendDue();
  expect(r.received).toHaveLength(0);
  await until(fresh, () => r.delivered().length === 2);
  expect(r.received.map((x) => x.dedupKey).sort()).toEqual(["k1", "k2"]);
  // A second restart sends nothing again.
  await new OutboxSender(db.sql, new Map([["phone", r.channel("phone")]]), FAST).sendDue();
  expect(r.received).toHaveLength(2);
});

test("a sender stopping gives back what it claimed and did not try: another sends it at once", async () => {
  const r = receiver();
  await enqueue(db.sql, [{ n: note("k1"), channel: "phone" }]);
  const stopping = new OutboxSender(db.sql, new Map([["phone", r.channel("phone")]]), FAST);
  expect(await stopping.sendDue(AbortSignal.abort())).toEqual({ sent: 0, retried: 0, failed: 0 });
  // No lease to wait out (FAST's is 5 s): the next sender's first round sends it, as its first attempt.
  await new OutboxSender(db.sql, new Map([["phone", r.channel("phone")]]), FAST).sendDue();
  expect(r.delivered().map((x) => x.dedupKey)).toEqual(["k1"]);
  expect((await outbox())[0]?.attempts).toBe(1);
});
