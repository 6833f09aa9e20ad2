import { afterAll, beforeAll, expect, test } from "bun:test";
import type { CollectorProcess } from "@infrastructor/lib/testing/collector-process.ts";
import { systemEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { missingSamples } from "@infrastructor/lib/testing/fleet.ts";
import { type Pipeline, startPipeline } from "@infrastructor/lib/testing/pipeline-servers.ts";
import { publishEnvelopes } from "@infrastructor/lib/testing/publish.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import type { JetStreamClient } from "nats";
import type { Sql } from "postgres";

/**
 * TimescaleDB < 2.18.1 (#7672) answers the duplicate path's INSERT ... SELECT ... ON CONFLICT DO NOTHING
 * with success while dropping the rows after one that meets a compressed chunk: the collector acked
 * them and they were never written. Here a trigger drops the rows of that statement only (COPY, the
 * fast path, is untouched), the real collector process ingests a spool replay, and must neither ack
 * nor lose anything: the batch is retried, counted and logged until the database writes it.
 */
let pipeline: Pipeline;
let collector: CollectorProcess;
let js: JetStreamClient;
let sql: Sql;
const t0 = Date.now() - 3_600_000;

beforeAll(async () => {
  // A long batch wait: the replay and the new samples published together land in one batch.
  pipeline = await startPipeline({ INGEST_BATCH_WAIT: "1500" });
  ({ collector, js, sql } = pipeline);
}, 120_000);

afterAll(async () => {
  await pipeline?.destroy();
}, 60_000);

async function shortWrites(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${collector.port}/metrics`)).text();
  const line = /infra_ingest_batch_failures_total\{kind="short_write"\} (\d+)/.exec(text);
  return Number(line?.[1] ?? 0);
}

test("a silent short write on the duplicate path is detected, not acked, retried until the rows are written", async () => {
  const stored = [0, 1, 2].map((i) => systemEnvelope("replay1", i, t0 + i * 15_000));
  await publishEnvelopes(js, stored);
  await waitFor("the first samples stored", async () => (await missingSamples(sql, stored)).length === 0);

  await sql.unsafe(`
    CREATE FUNCTION drop_on_conflict_path() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF current_query() LIKE 'INSERT INTO system_metrics%ON CONFLICT DO NOTHING%' THEN RETURN NULL; END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER drop_on_conflict_path BEFORE INSERT ON system_metrics
      FOR EACH ROW EXECUTE FUNCTION drop_on_conflict_path();`);

  // A spool replay after an outage: an old sample again (another boot id, so JetStream does not
  // deduplicate it) together with new ones.
  const replayed = systemEnvelope("replay1", 100, t0, "replay-boot");
  const fresh = [3, 4, 5].map((i) => systemEnvelope("replay1", i, t0 + i * 15_000));
  await publishEnvelopes(js, [replayed, ...fresh]);

  await waitFor(
    "two short writes counted (the batch retried)",
    async () => (await shortWrites()) >= 2,
    120_000,
    500,
  );
  expect(collector.output()).toContain("short write detected");
  expect(collector.output()).toContain('"table":"system_metrics"');
  // Not acked: still in JetStream's hands, and not one of the new samples claimed as stored.
  expect(await collector.drained()).toBe(false);
  expect(await missingSamples(sql, fresh)).toEqual(fresh.map((e) => `${e.host}@${e.collected_at}`));

  await sql.unsafe("DROP TRIGGER drop_on_conflict_path ON system_metrics");
  await waitFor("an empty backlog", () => collector.drained(), 120_000, 500);
  expect(await missingSamples(sql, [...stored, ...fresh])).toEqual([]);
  const [rejects] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ingest_rejects`;
  expect(rejects?.n).toBe(0);
}, 300_000);
