import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from "bun:test";
import { evaluateAlerts } from "@infrastructor/collector/alerts/evaluate.ts";
import { planNotifications } from "@infrastructor/collector/alerts/notify-plan.ts";
import {
  migratedDatabase,
  type TestDatabase,
  type TestPostgres,
} from "@infrastructor/lib/testing/databases.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import { type Alert, DEFAULT_POLICY, type Observation } from "./alert.ts";
import { acknowledgeAlert } from "./alert-actions.ts";
import { loadWorkingSet, lockAlerts, saveEvaluation } from "./alert-store.ts";

let pg: TestPostgres;
let db: TestDatabase;

beforeAll(async () => {
  pg = await startTestPostgres();
}, 240_000);
beforeEach(async () => {
  db = await migratedDatabase(pg);
});
afterEach(async () => {
  await db.sql.end();
});
afterAll(async () => {
  await pg?.destroy();
});

const t0 = new Date("2026-12-02T10:00:00Z");
const silent: Observation = {
  key: "host_down|nas|",
  rule: "host_down",
  device: "nas",
  domain: "agent",
  severity: "critical",
  what: "not reporting",
  evidence: "last seen 2 min ago",
  status: "active",
};
const fire = { ...DEFAULT_POLICY, forMs: 0 };

/** One evaluation at `now` over what is stored, saved in one transaction; `then` runs before the commit. */
async function evaluateAndSave(
  now: Date,
  seen: Observation[],
  then: () => Promise<void> = async () => {},
  groupWaitMs = 0,
) {
  await db.sql.begin(async (tx) => {
    await lockAlerts(tx);
    const previous = await loadWorkingSet(tx);
    const { alerts, events } = evaluateAlerts(previous, seen, now, () => fire, { groupWaitMs });
    const plan = planNotifications(events, {
      now,
      mutes: [],
      tagsOf: () => [],
      down: new Set(),
      groupAtLeast: 3,
    });
    await saveEvaluation(tx, alerts, events, plan, () => ["phone"], previous);
    await then();
  });
}

const count = async (table: string): Promise<number> =>
  Number((await db.sql`SELECT count(*)::int AS n FROM ${db.sql(table)}`)[0]?.n);

test("the working set reads back what was saved, dates and flips included", async () => {
  await evaluateAndSave(t0, [silent]);
  const stored = await loadWorkingSet(db.sql);
  const expected = evaluateAlerts(new Map<string, Alert>(), [silent], t0, () => fire).alerts;
  expect(stored).toEqual(expected);
  expect(stored.get(silent.key)?.flips).toEqual([t0]);
});

test("the state change and its notification commit together, or neither does", async () => {
  const failed = evaluateAndSave(t0, [silent], async () => {
    throw new Error("the collector dies before the commit");
  });
  await expect(failed).rejects.toThrow("the collector dies");
  expect([await count("alerts"), await count("alert_events"), await count("notification_outbox")]).toEqual([
    0, 0, 0,
  ]);
  await evaluateAndSave(t0, [silent]);
  expect([await count("alerts"), await count("alert_events"), await count("notification_outbox")]).toEqual([
    1, 1, 1,
  ]);
});

test("an unchanged alert is not rewritten; a forgotten one is deleted", async () => {
  await evaluateAndSave(t0, [silent]);
  await db.sql`UPDATE alerts SET updated_at = '2000-01-01T00:00:00Z'`;
  await evaluateAndSave(new Date(t0.getTime() + 60_000), [silent]);
  const [row] = await db.sql`SELECT updated_at FROM alerts`;
  expect(row?.updated_at).toEqual(new Date("2000-01-01T00:00:00Z"));
  // An evaluation that no longer follows it (its rule turned off) forgets it.
  await db.sql.begin(async (tx) => {
    const previous = await loadWorkingSet(tx);
    await saveEvaluation(tx, new Map(), [], { notifications: [], suppressed: [] }, () => [], previous);
  });
  expect(await count("alerts")).toBe(0);
});

test("an acknowledgement made during an evaluation waits for it and is not overwritten", async () => {
  await evaluateAndSave(t0, [silent]);
  let ack: Promise<unknown> = Promise.resolve();
  await evaluateAndSave(new Date(t0.getTime() + 60_000), [silent], async () => {
    ack = acknowledgeAlert(db.sql, { key: silent.key, by: "ana", now: t0, channelsOf: () => ["phone"] });
    await Bun.sleep(100); // the acknowledgement is waiting on the evaluation's lock now
  });
  await ack;
  const [row] = await db.sql`SELECT acked_by, acked_at FROM alerts`;
  expect(row).toEqual({ acked_by: "ana", acked_at: t0 });
  expect((await loadWorkingSet(db.sql)).get(silent.key)?.ackedAt).toEqual(t0);
});

test("an alert waiting for its group is stored as owed; acknowledged then, it is never announced, at the ack or after", async () => {
  const wait = 60_000;
  await evaluateAndSave(t0, [silent], async () => {}, wait);
  const [stored] = await db.sql<{ state: string; notified_at: Date | null }[]>`
    SELECT state, notified_at FROM alerts WHERE key = ${silent.key}`;
  expect(stored).toEqual({ state: "firing", notified_at: null });
  await acknowledgeAlert(db.sql, { key: silent.key, by: "ana", now: t0, channelsOf: () => ["phone"] });
  // The group's time comes: the acknowledged alert is settled without a word.
  await evaluateAndSave(new Date(t0.getTime() + wait), [silent], async () => {}, wait);
  const outbox = await db.sql<{ kind: string }[]>`SELECT kind FROM notification_outbox`;
  expect([...outbox]).toEqual([]);
  const [after] = await db.sql<
    { notified_at: Date | null }[]
  >`SELECT notified_at FROM alerts WHERE key = ${silent.key}`;
  expect(after?.notified_at).not.toBeNull();
});

test("an alert that was told is announced when acknowledged", async () => {
  await evaluateAndSave(t0, [silent]);
  await acknowledgeAlert(db.sql, { key: silent.key, by: "ana", now: t0, channelsOf: () => ["phone"] });
  const outbox = await db.sql<{ kind: string }[]>`SELECT kind FROM notification_outbox ORDER BY id`;
  expect(outbox.map((r) => r.kind)).toEqual(["firing", "acknowledged"]);
});
