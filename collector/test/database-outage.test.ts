import { afterAll, beforeAll, expect, test } from "bun:test";
import { type CollectorProcess, spawnCollector } from "@infrastructor/lib/testing/collector-process.ts";
import { systemEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { expectedCounts, missingSamples, tableCounts } from "@infrastructor/lib/testing/fleet.ts";
import { publishEnvelopes } from "@infrastructor/lib/testing/publish.ts";
import { startTestNats, startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import type { Envelope } from "@infrastructor/shared/envelope.ts";
import { connect, type NatsConnection } from "nats";
import postgres from "postgres";

let pg: Awaited<ReturnType<typeof startTestPostgres>>;
let nats: Awaited<ReturnType<typeof startTestNats>>;
let nc: NatsConnection;
let collector: CollectorProcess;

beforeAll(async () => {
  [pg, nats] = await Promise.all([startTestPostgres(), startTestNats()]);
  nc = await connect({ servers: nats.url });
  collector = await spawnCollector({ DATABASE_URL: pg.url, NATS_URL: nats.url });
}, 120_000);

afterAll(async () => {
  await nc?.close();
  await collector?.stop();
  await Promise.all([pg?.destroy(), nats?.destroy()]);
}, 60_000);

test("the database stopped for 30 s while messages keep flowing: every row once, collector healthy", async () => {
  const js = nc.jetstream();
  const sent: Envelope[] = [];
  const start = Date.now() - 3_600_000;
  let seq = 0;
  let publishing = true;
  let pgDown = false;
  let sentWhileDown = 0;
  // 5 hosts, one envelope each every 100 ms: 50 messages/s through the whole outage.
  const publisher = (async () => {
    while (publishing) {
      const batch = [0, 1, 2, 3, 4].map((h) => systemEnvelope(`db-outage-${h}`, seq, start + seq * 1000));
      seq++;
      await publishEnvelopes(js, batch);
      sent.push(...batch);
      if (pgDown) sentWhileDown += batch.length;
      await Bun.sleep(100);
    }
  })();

  await Bun.sleep(3000);
  await pg.stop("fast");
  pgDown = true;
  const stoppedAt = Date.now();
  const during = await waitFor(
    "health to report the database down",
    async () => {
      const h = await collector.health();
      return h.status === 503 ? h.body : undefined;
    },
    15_000,
    250,
  );
  expect(during).toMatchObject({ status: "degraded", database: { ok: false }, nats: { ok: true } });
  await Bun.sleep(Math.max(0, 30_000 - (Date.now() - stoppedAt)));
  await pg.start();
  pgDown = false;
  await Bun.sleep(3000);
  publishing = false;
  await publisher;

  const sql = postgres(pg.url, { max: 1, onnotice: () => {} });
  try {
    await waitFor(
      "every sample stored",
      async () => (await tableCounts(sql)).system_metrics === sent.length,
      90_000,
      500,
    );
    // Messages kept coming through the outage: at 50/s that is about 1,500; a loaded machine publishes
    // fewer, so the bar is one round of 5 every 3 s.
    expect(sentWhileDown).toBeGreaterThan(5 * 10);
    expect(await tableCounts(sql)).toEqual(expectedCounts(sent.length));
    expect(await missingSamples(sql, sent)).toEqual([]);
    const { status, body } = await collector.health();
    expect([status, body.status]).toEqual([200, "ok"]);
    const metrics = await (await fetch(`http://127.0.0.1:${collector.port}/metrics`)).text();
    expect(metrics).toMatch(/infra_ingest_batch_failures_total\{kind="unavailable"\} [1-9]/);
  } finally {
    await sql.end();
  }
}, 240_000);
