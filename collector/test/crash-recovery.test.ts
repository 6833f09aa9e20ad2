import { afterAll, beforeAll, expect, test } from "bun:test";
import { type CollectorProcess, spawnCollector } from "@infrastructor/lib/testing/collector-process.ts";
import {
  expectedCounts,
  fleetEnvelopes,
  missingSamples,
  tableCounts,
} from "@infrastructor/lib/testing/fleet.ts";
import { type PipelineServers, startPipelineServers } from "@infrastructor/lib/testing/pipeline-servers.ts";
import { publishEnvelopes } from "@infrastructor/lib/testing/publish.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";

let servers: PipelineServers;
let collector: CollectorProcess | undefined;

beforeAll(async () => {
  servers = await startPipelineServers();
}, 120_000);

afterAll(async () => {
  await collector?.stop();
  await servers?.destroy();
}, 60_000);

// Small batches and one writer stretch ingest over seconds so the kill lands mid-stream; a short
// ack wait brings the messages the dead collector held back within seconds instead of a minute.
const env = () => ({
  DATABASE_URL: servers.pg.url,
  NATS_URL: servers.nats.url,
  INGEST_BATCH_ROWS: "110",
  INGEST_WRITERS: "1",
  INGEST_ACK_WAIT: "3s",
});

test("a collector killed with SIGKILL in the middle of 10,000 messages loses and duplicates nothing", async () => {
  collector = await spawnCollector(env());
  const envelopes = fleetEnvelopes(100, 100, Date.now() - 86_400_000);
  await publishEnvelopes(servers.nc.jetstream(), envelopes);

  const atKill = await waitFor(
    "a part of the stream stored",
    async () => {
      const { system_metrics } = await tableCounts(servers.sql);
      return system_metrics >= 1500 ? system_metrics : undefined;
    },
    60_000,
    20,
  );
  await collector.kill();
  const afterKill = (await tableCounts(servers.sql)).system_metrics;
  expect(atKill).toBeLessThan(envelopes.length);
  expect(afterKill).toBeLessThan(envelopes.length);

  collector = await spawnCollector(env());
  await waitFor(
    "all 10,000 samples",
    async () => (await tableCounts(servers.sql)).system_metrics === envelopes.length,
    120_000,
    250,
  );
  // Let redeliveries of messages the killed collector had committed but not acked arrive and be merged.
  await waitFor(
    "an empty backlog",
    async () => {
      const { body } = await (collector as CollectorProcess).health();
      const c = body.consumer as { pending: number; ack_pending: number } | null;
      return c !== null && c.pending === 0 && c.ack_pending === 0;
    },
    60_000,
    250,
  );

  expect(await tableCounts(servers.sql)).toEqual(expectedCounts(envelopes.length));
  expect(await missingSamples(servers.sql, envelopes)).toEqual([]);
  const [perHost] =
    await servers.sql`SELECT min(n)::int AS lo, max(n)::int AS hi FROM (SELECT count(*) AS n FROM system_metrics GROUP BY device_id) s`;
  expect(perHost).toEqual({ lo: 100, hi: 100 });
  expect((await servers.sql`SELECT count(*)::int AS n FROM ingest_rejects`)[0]?.n).toBe(0);
}, 240_000);
