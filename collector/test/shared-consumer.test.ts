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
let collectors: CollectorProcess[] = [];

beforeAll(async () => {
  servers = await startPipelineServers();
}, 120_000);

afterAll(async () => {
  await Promise.all(collectors.map((c) => c.stop()));
  await servers?.destroy();
}, 60_000);

const storedBy = async (c: CollectorProcess): Promise<number> => {
  const text = await (await fetch(`http://127.0.0.1:${c.port}/metrics`)).text();
  return Number(/infra_ingest_messages_total\{domain="system",outcome="stored"\} (\d+)/.exec(text)?.[1] ?? 0);
};

test("two collectors share one durable consumer: the work is split, every row stored once", async () => {
  // Small batches so both collectors get a share; both start together and race to create the schema.
  const env = { DATABASE_URL: servers.pg.url, NATS_URL: servers.nats.url, INGEST_BATCH_ROWS: "220" };
  collectors = await Promise.all([spawnCollector(env), spawnCollector(env)]);
  const envelopes = fleetEnvelopes(20, 100, Date.now() - 86_400_000, "shared");
  await publishEnvelopes(servers.nc.jetstream(), envelopes);

  await waitFor(
    "every sample",
    async () => (await tableCounts(servers.sql)).system_metrics === envelopes.length,
    60_000,
    200,
  );
  expect(await tableCounts(servers.sql)).toEqual(expectedCounts(envelopes.length));
  expect(await missingSamples(servers.sql, envelopes)).toEqual([]);
  // Counted once a message is acked, which follows the latest-state write (up to a second later).
  const shares = await waitFor("every message counted as stored", async () => {
    const counted = await Promise.all(collectors.map(storedBy));
    return counted.reduce((a, b) => a + b, 0) === envelopes.length ? counted : undefined;
  });
  expect(shares.every((n) => n > 0)).toBe(true);
}, 120_000);
