import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestNats } from "@infrastructor/lib/testing/servers.ts";
import { messageId } from "@infrastructor/shared/subjects.ts";
import { connect, type NatsConnection } from "nats";
import { createLogger } from "../src/logger.ts";
import { Spool } from "../src/publish/spool.ts";
import { type RunningAgent, startAgent } from "../src/run-agent.ts";
import { type CounterCollector, createCounterCollector } from "./counter-collector.ts";
import { createTestStream, readStream, waitFor } from "./stream.ts";
import { testConfig } from "./test-config.ts";

let nats: Awaited<ReturnType<typeof startTestNats>>;
let dir: string;
const logger = createLogger("silent");

beforeAll(async () => {
  nats = await startTestNats();
  const nc = await connect({ servers: nats.url });
  await createTestStream(nc);
  await nc.close();
  dir = await mkdtemp(join(tmpdir(), "infra-outage-"));
});
afterAll(async () => {
  await nats?.destroy();
  await rm(dir, { recursive: true, force: true });
});

/**
 * Stops the agent once it has caught up, then checks the promise: every seq it produced is in the
 * stream exactly once and in order, except a tail the stop may have left in the spool (also in order).
 */
async function stopAndCheck(
  agent: RunningAgent,
  counter: CounterCollector,
  host: string,
  spoolDir: string,
): Promise<void> {
  await waitFor(
    () => agent.stats().spooled === 0 && agent.stats().inMemory === 0,
    20_000,
    "the spool to drain",
  );
  await agent.stop();
  const produced = counter.collected;
  const left: number[] = [];
  const spool = Spool.open({ dir: spoolDir, maxBytes: 8 * 1024 ** 2 });
  for (let batch = spool.peek(1000); batch.envelopes.length > 0; batch = spool.peek(1000)) {
    left.push(...batch.envelopes.map((e) => e.seq));
    spool.ack(batch.first + batch.envelopes.length);
  }
  spool.close();

  const nc: NatsConnection = await connect({ servers: nats.url });
  const stored = await readStream(nc, host);
  await nc.close();
  const seqs = [...stored.map((s) => s.envelope.seq), ...left];
  expect(seqs).toEqual(Array.from({ length: produced }, (_, i) => i));
  for (const { envelope, msgId } of stored) {
    expect(msgId).toBe(messageId(host, "counter", envelope.boot_id, envelope.seq));
    expect(envelope.boot_id).toBe(agent.bootId);
    expect(envelope.data).toEqual({ count: envelope.seq + 1 });
  }
}

test("NATS down for 3 s while sampling every 200 ms: every seq arrives once, in order", async () => {
  const spoolDir = join(dir, "outage");
  const counter = createCounterCollector({ intervalMs: 200 });
  const agent = startAgent({
    config: testConfig({ host: "outage", natsUrl: nats.url, spoolDir }),
    collectors: [counter],
    logger,
  });
  await waitFor(() => agent.stats().published >= 5, 10_000, "5 published");
  await nats.stop();
  await Bun.sleep(3_000);
  expect(agent.stats().spooled).toBeGreaterThanOrEqual(10);
  await nats.start();
  await waitFor(() => agent.stats().spooled === 0, 15_000, "the replay");
  await Bun.sleep(500); // a few more samples after the replay, published directly
  await stopAndCheck(agent, counter, "outage", spoolDir);
  expect(counter.collected).toBeGreaterThan(20);
}, 40_000);

test("started while NATS is down: samples are spooled, then everything arrives", async () => {
  const spoolDir = join(dir, "late-nats");
  await nats.stop();
  const counter = createCounterCollector({ intervalMs: 200 });
  const agent = startAgent({
    config: testConfig({ host: "latenats", natsUrl: nats.url, spoolDir }),
    collectors: [counter],
    logger,
  });
  await Bun.sleep(1_500);
  expect(agent.stats().spooled).toBeGreaterThanOrEqual(4);
  expect(agent.stats().published).toBe(0);
  await nats.start();
  await waitFor(() => agent.stats().published >= counter.collected - 1, 15_000, "the spool to go out");
  await stopAndCheck(agent, counter, "latenats", spoolDir);
}, 40_000);

test("a collector that throws becomes an envelope with data null and the error; polling goes on", async () => {
  const spoolDir = join(dir, "failing");
  const counter = createCounterCollector({ intervalMs: 100, failEvery: 2 });
  const agent = startAgent({
    config: testConfig({ host: "failing", natsUrl: nats.url, spoolDir }),
    collectors: [counter],
    logger,
  });
  await waitFor(() => agent.stats().published >= 4, 10_000, "4 published");
  await agent.stop();
  const nc = await connect({ servers: nats.url });
  const stored = await readStream(nc, "failing");
  await nc.close();
  const second = stored.find((s) => s.envelope.seq === 1)?.envelope;
  expect(second?.data).toBeNull();
  expect(second?.errors).toEqual([
    { code: "INTERNAL", message: "counter 2 failed on purpose", source: "counter" },
  ]);
  expect(stored.find((s) => s.envelope.seq === 2)?.envelope.data).toEqual({ count: 3 });
});
