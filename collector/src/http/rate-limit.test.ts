import { expect, test } from "bun:test";
import { RateLimiter } from "./rate-limit.ts";

/** The buckets on a clock of our own (the real-server test is collector/test/enroll-takeover.test.ts). */
function limiter(
  perClientPerMin: number,
  globalPerMin: number,
): { take(c: string): number | null; tick(ms: number): void } {
  let now = 1_000_000;
  const l = new RateLimiter({ perClientPerMin, globalPerMin }, () => now);
  return { take: (c) => l.take(c), tick: (ms) => (now += ms) };
}

test("a client gets its burst, then waits for its bucket to refill; others are not affected", () => {
  const l = limiter(3, 100);
  expect([l.take("a"), l.take("a"), l.take("a")]).toEqual([null, null, null]);
  expect(l.take("a")).toBe(20); // 3 a minute: one every 20 s
  expect(l.take("b")).toBeNull();
  l.tick(10_000);
  expect(l.take("a")).toBe(10);
  l.tick(10_000);
  expect(l.take("a")).toBeNull();
  expect(l.take("a")).toBe(20);
});

test("the overall limit holds across clients; a refused request takes nothing", () => {
  const l = limiter(10, 2);
  expect([l.take("a"), l.take("b")]).toEqual([null, null]);
  expect(l.take("c")).toBe(30);
  l.tick(30_000);
  expect(l.take("c")).toBeNull();
});

test("20,000 addresses: the least recently seen are forgotten (bounded memory); a recent client keeps its state", () => {
  const l = limiter(1, 1_000_000);
  expect(l.take("busy")).toBeNull();
  for (let i = 0; i < 20_000; i++) l.take(`10.0.${i >> 8}.${i & 255}`);
  // "busy" was forgotten as least recently seen: a fresh bucket (the price of bounded memory).
  expect(l.take("busy")).toBeNull();
  expect(l.take("busy")).toBe(60);
});
