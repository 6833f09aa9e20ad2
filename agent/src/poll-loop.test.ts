import { expect, test } from "bun:test";
import { createCounterCollector } from "../test/counter-collector.ts";
import { createLogger } from "./logger.ts";
import { FIRST_POLL_MS, startPolling } from "./poll-loop.ts";
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

test("an unavailable domain is reported once per change of state, not on every poll", async () => {
  const script: PollResult[] = [
    { data: null, errors: [], unavailable: { code: "COMMAND_MISSING", reason: "smartctl not found" } },
    { data: null, errors: [], unavailable: { code: "COMMAND_MISSING", reason: "smartctl not found" } },
    { data: null, errors: [], unavailable: { code: "COMMAND_MISSING", reason: "smartctl not found" } },
    { data: { n: 1 }, errors: [] },
    { data: { n: 2 }, errors: [] },
    { data: null, errors: [], unavailable: { code: "COMMAND_MISSING", reason: "smartctl not found" } },
    { data: null, errors: [], unavailable: { code: "UNAUTHORIZED", reason: "permission denied" } },
  ];
  let calls = 0;
  const collector: PollCollector = {
    domain: "smart",
    defaultIntervalMs: 20,
    async collect(): Promise<PollResult> {
      const next = script[Math.min(calls, script.length - 1)] as PollResult;
      calls += 1;
      return next;
    },
  };
  const delivered: PollResult[] = [];
  const loop = startPolling({
    entries: [{ collector, intervalMs: 20 }],
    onResult: (_domain, result) => delivered.push(result),
    logger,
  });
  await Bun.sleep(400);
  await loop.stop(500);
  expect(calls).toBeGreaterThan(script.length);
  expect(delivered.map((r) => r.unavailable?.code ?? `data ${(r.data as { n: number }).n}`)).toEqual([
    "COMMAND_MISSING",
    "data 1",
    "data 2",
    "COMMAND_MISSING",
    "UNAUTHORIZED",
  ]);
});

test("a long interval does not delay the first poll: it comes a second after the prime", async () => {
  const collector = createCounterCollector({ domain: "inventory", intervalMs: 6 * 3_600_000 });
  const seen: number[] = [];
  const started = Date.now();
  const loop = startPolling({
    entries: [{ collector, intervalMs: 6 * 3_600_000 }],
    onResult: (_domain, _result, collectedAt) => seen.push(collectedAt.getTime() - started),
    logger,
  });
  await Bun.sleep(FIRST_POLL_MS + 700);
  await loop.stop(500);
  expect(seen.length).toBe(1);
  expect(seen[0]).toBeGreaterThanOrEqual(FIRST_POLL_MS - 5);
});
