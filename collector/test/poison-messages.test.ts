import { afterAll, beforeAll, expect, test } from "bun:test";
import type { CollectorProcess } from "@infrastructor/lib/testing/collector-process.ts";
import { domainEnvelope, type systemData, systemEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import {
  expectedCounts,
  fleetEnvelopes,
  missingSamples,
  tableCounts,
} from "@infrastructor/lib/testing/fleet.ts";
import { type Pipeline, startPipeline } from "@infrastructor/lib/testing/pipeline-servers.ts";
import { publishEnvelopes, publishRaw } from "@infrastructor/lib/testing/publish.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import type { Envelope } from "@infrastructor/shared/envelope.ts";
import { telemetrySubject } from "@infrastructor/shared/subjects.ts";
import type { JetStreamClient } from "nats";
import type { Sql } from "postgres";

let pipeline: Pipeline;
let collector: CollectorProcess;
let js: JetStreamClient;
let sql: Sql;
const t0 = Date.now() - 3_600_000;
const ROUNDS = 5;
const DEEP = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;

beforeAll(async () => {
  pipeline = await startPipeline({ ROLLUP_REFRESH_INTERVAL: "1s" });
  ({ collector, js, sql } = pipeline);
}, 120_000);

afterAll(async () => {
  await pipeline?.destroy();
}, 60_000);

/** A journal entry read from a binary field: the NUL the agent's parser keeps. */
function journalEnvelope(seq: number): Envelope {
  const entry = {
    time: new Date(t0 + seq * 1000).toISOString(),
    entry_id: `j:${seq}`,
    priority: 6,
    facility: 3,
    hostname: "journal1",
    unit: "app.service",
    identifier: "app",
    pid: 42,
    message: `binary\u0000field ${seq}`,
  };
  const data = { source: "journal", path: "", read: { ok: true, entries: [entry], backlog: "drained" } };
  return domainEnvelope("journal1", "logs", data, { seq, collected_at: entry.time });
}

/** One round of poison: what each message is, and the reject reason it must get (null: stored, cleaned). */
function poison(round: number): { subject: string; payload: string; reason: string | null }[] {
  const at = t0 + round * 15_000;
  const failed = {
    ...systemEnvelope("failing1", round, at),
    data: null,
    errors: [{ code: "READ_FAILED", message: `nul\u0000in error ${round}` }],
  };
  const huge = systemEnvelope("poison1", round, at);
  (huge.data as ReturnType<typeof systemData>).load.load_1 = 1e39; // valid JSON, beyond a real column
  const deep = JSON.stringify({
    ...systemEnvelope("poison2", round, at),
    errors: [{ code: "X", message: "m", details: { d: "DEEP" } }],
  }).replace('"DEEP"', DEEP);
  const stale = { ...systemEnvelope("poison3", round, 0), collected_at: "1970-01-01T00:00:00Z" };
  return [
    {
      subject: telemetrySubject("journal1", "logs"),
      payload: JSON.stringify(journalEnvelope(round)),
      reason: null,
    },
    { subject: telemetrySubject("failing1", "system"), payload: JSON.stringify(failed), reason: null },
    { subject: telemetrySubject("poison1", "system"), payload: JSON.stringify(huge), reason: "db_rejected" },
    {
      subject: "infra.v1.poison2.system",
      payload: `{"v":1,"host":"\u0000\u0000 ${round}`,
      reason: "malformed_json",
    },
    { subject: "infra.v1.poison2.system", payload: deep, reason: "too_deep" },
    { subject: "infra.v1.poison2.system", payload: DEEP, reason: "too_deep" },
    { subject: "infra.v1.poison3.system", payload: JSON.stringify(stale), reason: "stale_timestamp" },
  ];
}

test("poison messages among 50 hosts' traffic: good rows all stored, each bad one rejected once, backlog empty, health ok", async () => {
  const good = fleetEnvelopes(50, 10, t0, "fleet");
  const perRound = good.length / ROUNDS;
  const expectedRejects = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round++) {
    await publishEnvelopes(js, good.slice(round * perRound, (round + 1) * perRound));
    for (const p of poison(round)) {
      await publishRaw(js, p.subject, p.payload);
      if (p.reason) expectedRejects.set(p.reason, (expectedRejects.get(p.reason) ?? 0) + 1);
    }
  }
  const rejectTotal = [...expectedRejects.values()].reduce((a, b) => a + b, 0);

  await waitFor("an empty backlog", () => collector.drained(), 180_000, 500);
  expect(await tableCounts(sql)).toEqual(expectedCounts(good.length));
  expect(await missingSamples(sql, good)).toEqual([]);

  const rejects = await sql<{ reason: string; n: number; seqs: number }[]>`
    SELECT reason, count(*)::int AS n, count(DISTINCT stream_seq)::int AS seqs FROM ingest_rejects GROUP BY reason`;
  expect(Object.fromEntries(rejects.map((r) => [r.reason, r.n]))).toEqual(
    Object.fromEntries(expectedRejects),
  );
  expect(rejects.every((r) => r.seqs === r.n)).toBe(true);
  const [detail] = await sql`SELECT detail FROM ingest_rejects WHERE reason = 'db_rejected' LIMIT 1`;
  expect(detail?.detail).toContain("out of range");

  // NUL in free text is kept as U+FFFD: every journal entry stored once, the failure in latest_state
  const logs = await sql`SELECT message FROM logs ORDER BY message`;
  expect(logs.map((l) => l.message)).toEqual(
    Array.from({ length: ROUNDS }, (_, r) => `binary\ufffdfield ${r}`).sort(),
  );
  const [state] = await sql`
    SELECT l.errors FROM latest_state l JOIN devices d ON d.id = l.device_id WHERE d.hostname = 'failing1'`;
  expect(state?.errors[0].message).toBe(`nul\ufffdin error ${ROUNDS - 1}`);

  // nothing looped: no message was delivered twice, no batch was taken for a database outage
  const { status, body } = await collector.health();
  expect([status, body.status]).toEqual([200, "ok"]);
  expect(body.consumer).toMatchObject({ pending: 0, ack_pending: 0, redelivered: 0, age_s: 0 });
  const metrics = await (await fetch(`http://127.0.0.1:${collector.port}/metrics`)).text();
  expect(metrics).not.toMatch(/infra_ingest_batch_failures_total\{kind="unavailable"\} [1-9]/);
  expect(rejectTotal).toBe(ROUNDS * 5);
}, 300_000);
