import { expect, test } from "bun:test";
import { createCounterCollector } from "../test/counter-collector.ts";
import { createLogger } from "./logger.ts";
import { startPolling } from "./poll-loop.ts";
import type { PollCollector, PollResult } from "./safe-collect.ts";

const logger = createLogger("silent");

test("polls on a fixed grid, and a slow collector neither blocks a fast one nor queues missed ticks", async () => {
  const fast = createCounterCollector({ domain: "fast", intervalMs: 100 });
  let slowCalls = 0;
  const slow: PollCollector = {
    domain: "slow",
    defaultIntervalMs: 100,
    async collect(): Promise<PollResult> {
      slowCalls += 1;
      await Bun.sleep(350);
      return { data: { n: slowCalls }, errors: [] };
    },
  };
  const seen: { domain: string; at: number }[] = [];
  const started = Date.now();
  const loop = startPolling({
    entries: [
      { collector: fast, intervalMs: 100 },
      { collector: slow, intervalMs: 100 },
    ],
    onResult: (domain, _result, collectedAt) => seen.push({ domain, at: collectedAt.getTime() - started }),
    logger,
  });
  await Bun.sleep(1_050);
  await loop.stop(1_000);

  expect(fast.primed).toBe(true);
  const fastTimes = seen.filter((s) => s.domain === "fast").map((s) => s.at);
  expect(fastTimes.length).toBeGreaterThanOrEqual(9);
  // The n-th poll lands near n * 100 ms: lateness does not add up.
  fastTimes.forEach((at, i) => {
    expect(Math.abs(at - (i + 1) * 100)).toBeLessThan(60);
  });
  // 350 ms per poll at a 100 ms interval: about 3 polls, not 10 queued ones.
  expect(slowCalls).toBeGreaterThanOrEqual(2);
  expect(slowCalls).toBeLessThanOrEqual(4);
});

test("stop() waits for a poll in progress and delivers its result", async () => {
  const results: PollResult[] = [];
  const collector: PollCollector = {
    domain: "slow",
    defaultIntervalMs: 50,
    async collect(): Promise<PollResult> {
      await Bun.sleep(200);
      return { data: "late", errors: [] };
    },
  };
  const loop = startPolling({
    entries: [{ collector, intervalMs: 50 }],
    onResult: (_domain, result) => results.push(result),
    logger,
  });
  await Bun.sleep(100);
  await loop.stop(1_000);
  expect(results).toEqual([{ data: "late", errors: [] }]);
});
