import { afterAll, beforeAll, expect, test } from "bun:test";
import { connect, type NatsConnection } from "nats";
import postgres, { type Sql } from "postgres";
import { type CollectorProcess, spawnCollector } from "../../test/support/collector-process.ts";
import { expectedCounts, fleetEnvelopes, missingSamples, tableCounts } from "../../test/support/fleet.ts";
import { publishEnvelopes } from "../../test/support/publish.ts";
import { startTestNats, startTestPostgres } from "../../test/support/servers.ts";
import { waitFor } from "../../test/support/wait.ts";

let pg: Awaited<ReturnType<typeof startTestPostgres>>;
let nats: Awaited<ReturnType<typeof startTestNats>>;
let nc: NatsConnection;
let sql: Sql;
let collectors: CollectorProcess[] = [];

beforeAll(async () => {
  [pg, nats] = await Promise.all([startTestPostgres(), startTestNats()]);
  nc = await connect({ servers: nats.url });
  sql = postgres(pg.url, { max: 2, onnotice: () => {} });
}, 120_000);

afterAll(async () => {
  await nc?.close();
  await sql?.end();
  await Promise.all(collectors.map((c) => c.stop()));
  await Promise.all([pg?.destroy(), nats?.destroy()]);
}, 60_000);

const storedBy = async (c: CollectorProcess): Promise<number> => {
  const text = await (await fetch(`http://127.0.0.1:${c.port}/metrics`)).text();
  return Number(/infra_ingest_messages_total\{domain="system",outcome="stored"\} (\d+)/.exec(text)?.[1] ?? 0);
};

test("two collectors share one durable consumer: the work is split, every row stored once", async () => {
  // Small batches so both collectors get a share; both start together and race to create the schema.
  const env = { DATABASE_URL: pg.url, NATS_URL: nats.url, INGEST_BATCH_ROWS: "220" };
  collectors = await Promise.all([spawnCollector(env), spawnCollector(env)]);
  const envelopes = fleetEnvelopes(20, 100, Date.now() - 86_400_000, "shared");
  await publishEnvelopes(nc.jetstream(), envelopes);

  await waitFor(
    "every sample",
    async () => (await tableCounts(sql)).system_metrics === envelopes.length,
    60_000,
    200,
  );
  expect(await tableCounts(sql)).toEqual(expectedCounts(envelopes.length));
  expect(await missingSamples(sql, envelopes)).toEqual([]);
  const shares = await Promise.all(collectors.map(storedBy));
  expect(shares.every((n) => n > 0)).toBe(true);
  expect(shares.reduce((a, b) => a + b, 0)).toBe(envelopes.length);
}, 120_000);
