import { afterAll, beforeAll, expect, test } from "bun:test";
import {
  type CollectorProcess,
  spawnCollector,
  TEST_API_TOKEN,
} from "@infrastructor/lib/testing/collector-process.ts";
import { domainEnvelope, systemEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { missingSamples } from "@infrastructor/lib/testing/fleet.ts";
import { type PipelineServers, startPipelineServers } from "@infrastructor/lib/testing/pipeline-servers.ts";
import { publishEnvelopes } from "@infrastructor/lib/testing/publish.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import type { Envelope } from "@infrastructor/shared/envelope.ts";
import { messageId, telemetrySubject } from "@infrastructor/shared/subjects.ts";
import { loadCollectorConfig } from "../src/config.ts";
import { ensureStream } from "../src/ingest/jetstream.ts";

let servers: PipelineServers;
let collector: CollectorProcess | undefined;
const FLOOD_MS = 30_000;
/** The collector starts this far into the flood: it meets a backlog of hundreds of 1 MiB messages. */
const COLLECTOR_STARTS_AFTER_MS = 10_000;
const encoder = new TextEncoder();

beforeAll(async () => {
  servers = await startPipelineServers();
  // The stream as the collector makes it, so the flood can start before the collector does.
  const { stream } = loadCollectorConfig({ COLLECTOR_API_TOKEN: TEST_API_TOKEN, COLLECTOR_TLS: "off" });
  await ensureStream(await servers.nc.jetstreamManager(), stream);
}, 120_000);

afterAll(async () => {
  if (process.env.SHOW_COLLECTOR_LOG && collector) console.log(collector.output());
  await collector?.stop();
  await servers?.destroy();
}, 120_000);

/** A valid logs envelope just under NATS's default max_payload (1 MiB): 240 entries of 4,000 characters. */
function bigLogsEnvelope(seq: number): Envelope {
  const time = new Date(Date.now() - 60_000).toISOString();
  const entries = Array.from({ length: 240 }, (_, i) => ({
    time,
    entry_id: `j:${seq}:${i}`,
    priority: 6,
    facility: 3,
    hostname: "flood1",
    unit: "spam.service",
    identifier: "spam",
    pid: 1,
    message: `${seq}:${i} ${"x".repeat(4000)}`,
  }));
  const data = { source: "journal", path: "", read: { ok: true, entries, backlog: "more" } };
  return domainEnvelope("flood1", "logs", data, { seq, collected_at: time });
}

test("a 30 s flood of 1 MiB messages from one host: the others' data is stored and the backlog drains after it", async () => {
  const js = servers.js;
  const started = Date.now();
  const others: Envelope[] = [];
  let floodSent = 0;
  const flood = (async () => {
    let inFlight: Promise<unknown>[] = [];
    for (let seq = 0; Date.now() - started < FLOOD_MS; seq++) {
      const e = bigLogsEnvelope(seq);
      const payload = encoder.encode(JSON.stringify(e));
      expect(payload.byteLength).toBeGreaterThan(960 * 1024);
      inFlight.push(
        js.publish(telemetrySubject(e.host, e.domain), payload, {
          msgID: messageId(e.host, e.domain, e.boot_id, seq),
        }),
      );
      floodSent++;
      if (inFlight.length >= 8) {
        await Promise.all(inFlight);
        inFlight = [];
        await Bun.sleep(200); // about 40 MiB/s: enough to outrun the collector, not to fill the disk
      }
    }
    await Promise.all(inFlight);
  })();
  const fleet = (async () => {
    for (let seq = 0; Date.now() - started < FLOOD_MS + 5_000; seq++) {
      const batch = Array.from({ length: 20 }, (_, h) =>
        systemEnvelope(`calm${h}`, seq, started - 3_600_000 + seq * 1000),
      );
      await publishEnvelopes(js, batch);
      others.push(...batch);
      await Bun.sleep(500);
    }
  })();

  await Bun.sleep(COLLECTOR_STARTS_AFTER_MS); // pacing the scenario, not a wait for a condition
  collector = await spawnCollector({
    DATABASE_URL: servers.pg.url,
    NATS_URL: servers.nats.url,
    LOG_LEVEL: "info",
  });
  await Promise.all([flood, fleet]);
  expect(floodSent).toBeGreaterThan(100);

  const running = collector;
  await waitFor("the backlog to drain after the flood", () => running.drained(), 400_000, 1000);
  expect(await missingSamples(servers.sql, others)).toEqual([]);
  const [logs] = await servers.sql`SELECT count(DISTINCT entry_id)::int AS n FROM logs`;
  expect(logs?.n).toBe(floodSent * 240);

  // the lag is back to nothing, and the connection to NATS never dropped as a slow consumer
  // (before the pull was bounded by bytes: 8 disconnects as a slow consumer in one such run)
  expect(running.output()).not.toMatch(/"nats":"(disconnect|reconnecting)"/);
  const { status, body } = await running.health();
  expect([status, body.status]).toEqual([200, "ok"]);
  expect(body.consumer).toMatchObject({ pending: 0, ack_pending: 0, age_s: 0 });
  const metrics = await (await fetch(`http://127.0.0.1:${running.port}/metrics`)).text();
  expect(metrics).toMatch(/infra_consumer_backlog_age_seconds 0\b/);
}, 600_000);
