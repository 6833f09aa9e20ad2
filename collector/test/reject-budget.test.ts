import { afterAll, beforeAll, expect, test } from "bun:test";
import type { CollectorProcess } from "@infrastructor/lib/testing/collector-process.ts";
import { systemEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { type Pipeline, startPipeline } from "@infrastructor/lib/testing/pipeline-servers.ts";
import { publishEnvelopes, publishRaw } from "@infrastructor/lib/testing/publish.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import type { JetStreamClient } from "nats";
import type { Sql } from "postgres";

let pipeline: Pipeline;
let collector: CollectorProcess;
let js: JetStreamClient;
let sql: Sql;
const BUDGET = 5;
const BIG = 200 * 1024;

beforeAll(async () => {
  pipeline = await startPipeline({ INGEST_REJECTS_PER_HOST_MINUTE: String(BUDGET) });
  ({ collector, js, sql } = pipeline);
}, 120_000);

afterAll(async () => {
  await pipeline?.destroy();
}, 60_000);

const metricsText = async (): Promise<string> =>
  await (await fetch(`http://127.0.0.1:${collector.port}/metrics`)).text();

test("one host flooding bad messages, and invented host names, store a bounded number of 4 KiB rejects; the rest are counted per host", async () => {
  await publishEnvelopes(js, [systemEnvelope("noisy", 0, Date.now() - 60_000)]);
  await waitFor("noisy known", () => collector.drained(), 60_000);
  const junk = `{${"x".repeat(BIG)}`; // malformed JSON, 200 KiB
  for (let i = 0; i < 40; i++) await publishRaw(js, "infra.v1.noisy.system", junk);
  for (let i = 0; i < 40; i++) await publishRaw(js, `infra.v1.invented${i}.system`, junk);
  await publishEnvelopes(js, [systemEnvelope("noisy", 1, Date.now() - 45_000)]);

  await waitFor("an empty backlog", () => collector.drained(), 120_000, 250);
  const rows = await sql<{ subject: string; payload_bytes: number; stored: number }[]>`
    SELECT subject, payload_bytes, length(payload)::int AS stored FROM ingest_rejects`;
  const noisy = rows.filter((r) => r.subject === "infra.v1.noisy.system");
  const invented = rows.filter((r) => r.subject.startsWith("infra.v1.invented"));
  // at most one budget a minute each: a slow machine may straddle a minute boundary, never more
  expect(noisy.length).toBeGreaterThanOrEqual(BUDGET);
  expect(noisy.length).toBeLessThanOrEqual(2 * BUDGET);
  expect(invented.length).toBeGreaterThanOrEqual(1);
  expect(invented.length).toBeLessThanOrEqual(2 * BUDGET);
  expect(rows.every((r) => r.payload_bytes === BIG + 1 && r.stored === 4096)).toBe(true);
  // good data from the noisy host still flows
  const [n] = await sql`
    SELECT count(*)::int AS n FROM system_metrics m JOIN devices d ON d.id = m.device_id WHERE d.hostname = 'noisy'`;
  expect(n?.n).toBe(2);

  const metrics = await waitFor("the per-host reject counts", async () => {
    const text = await metricsText();
    return text.includes('infra_ingest_host_rejects_total{host="noisy",outcome="stored"}') ? text : undefined;
  });
  const value = (labels: string): number =>
    Number(metrics.match(new RegExp(`infra_ingest_host_rejects_total\\{${labels}\\} (\\d+)`))?.[1] ?? 0);
  expect(value('host="noisy",outcome="stored"') + value('host="noisy",outcome="counted"')).toBe(40);
  expect(value('host="noisy",outcome="stored"')).toBe(noisy.length);
  expect(value('host="other",outcome="stored"') + value('host="other",outcome="counted"')).toBe(40);
  // invented names never become labels: the label set stays bounded whatever a sender makes up
  expect(metrics).not.toContain("invented");
  expect(metrics).toMatch(/infra_ingest_rejects_total\{reason="malformed_json"\} 80/);
}, 240_000);
