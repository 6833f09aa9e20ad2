import { describe, expect, test } from "bun:test";
import { formatSpan, type SmartSample, smartTrendReasons, withTrend } from "./smart-trend.ts";

const DAY = 86_400_000;
const sample = (atMs: number, over: Partial<SmartSample> = {}): SmartSample => ({
  atMs,
  reallocated_sectors: 8,
  pending_sectors: 0,
  offline_uncorrectable: 0,
  crc_errors: null,
  media_errors: null,
  ...over,
});

describe("smartTrendReasons", () => {
  test("names each counter that grew, with both values and the span", () => {
    const reasons = smartTrendReasons(
      sample(0),
      sample(7 * DAY, { reallocated_sectors: 24, pending_sectors: 2 }),
    );
    expect(reasons).toEqual(["reallocated sectors 8 -> 24 in 7 days", "pending sectors 0 -> 2 in 7 days"]);
  });

  test("counters that stayed, fell (a reset) or are unknown give nothing", () => {
    expect(smartTrendReasons(sample(0), sample(DAY))).toEqual([]);
    expect(smartTrendReasons(sample(0), sample(DAY, { reallocated_sectors: 3 }))).toEqual([]);
    expect(smartTrendReasons(sample(0, { crc_errors: null }), sample(DAY, { crc_errors: 5 }))).toEqual([]);
  });

  test("a later 'earlier' sample (out of order) gives nothing", () => {
    expect(smartTrendReasons(sample(DAY, { reallocated_sectors: 1 }), sample(0))).toEqual([]);
  });

  test("NVMe media errors count too", () => {
    const reasons = smartTrendReasons(
      sample(0, { media_errors: 0 }),
      sample(3 * 3_600_000, { media_errors: 4 }),
    );
    expect(reasons).toEqual(["NVMe media errors 0 -> 4 in 3 h"]);
  });
});

describe("withTrend", () => {
  test("growth makes an ok drive a warning, keeps failing, and appends the reasons", () => {
    expect(withTrend("ok", [], ["x"])).toEqual({ verdict: "warning", reasons: ["x"] });
    expect(withTrend("failing", ["health FAILED"], ["x"])).toEqual({
      verdict: "failing",
      reasons: ["health FAILED", "x"],
    });
    expect(withTrend("ok", [], [])).toEqual({ verdict: "ok", reasons: [] });
  });
});

test("formatSpan", () => {
  expect([formatSpan(DAY), formatSpan(6.6 * DAY), formatSpan(2 * 3_600_000), formatSpan(1000)]).toEqual([
    "1 day",
    "7 days",
    "2 h",
    "1 min",
  ]);
});
