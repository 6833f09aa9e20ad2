import { expect, test } from "bun:test";
import { downsampleSeries, historyStats, SERIES_POINTS, slopePerHour } from "./history-stats.ts";
import type { HistoryPoint } from "./metrics-history.ts";

const HOUR = 3_600_000;
const T0 = Date.parse("2026-12-01T00:00:00Z");

/** `n` hourly points from T0 with cpu, load and memory given per index. */
function points(n: number, f: (i: number) => [number | null, number, number | null]): HistoryPoint[] {
  return Array.from({ length: n }, (_, i) => {
    const [cpu, load, mem] = f(i);
    return {
      time: new Date(T0 + i * HOUR).toISOString(),
      samples: 60,
      cpu_pct_avg: cpu,
      cpu_pct_max: cpu,
      load_1_avg: load,
      load_1_max: load,
      mem_used_pct_avg: mem,
      mem_used_pct_max: mem,
      swap_used_bytes_max: 0,
    };
  });
}

test("least squares: a straight line gives its slope per hour", () => {
  expect(slopePerHour([0, 1, 2, 3].map((i) => ({ t: T0 + i * HOUR, v: 10 + 2 * i })))).toBeCloseTo(2, 9);
  expect(slopePerHour([{ t: T0, v: 5 }])).toBe(0);
});

test("rising memory, falling load, flat cpu over 24 h", () => {
  const s = historyStats(
    points(24, (i) => [20 + (i % 2 === 0 ? 0.5 : -0.5), 8 - 0.25 * i, 40 + i]),
    24 * HOUR,
  );
  expect(s.mem_used_pct).toEqual({
    min: 40,
    avg: 51.5,
    max: 63,
    first: 40,
    last: 63,
    trend: "rising",
    slope: 1,
    slope_per: "hour",
  });
  expect(s.load_1).toMatchObject({ min: 2.25, max: 8, first: 8, last: 2.25, trend: "falling", slope: -0.25 });
  expect(s.cpu_pct?.trend).toBe("flat");
  expect(s.cpu_pct?.avg).toBe(20);
});

test("beyond two days the slope is per day", () => {
  const s = historyStats(
    points(72, (i) => [null, 1, 50 + i / 24]),
    3 * 24 * HOUR,
  );
  expect(s.mem_used_pct).toMatchObject({ trend: "rising", slope: 1, slope_per: "day" });
  expect(s.cpu_pct).toBeUndefined();
});

test("the series has at most 24 points, averages with their bucket start", () => {
  const ps = points(72, (i) => [i, 1, null]);
  const series = downsampleSeries(ps, new Date(T0), new Date(T0 + 72 * HOUR));
  expect(series).toHaveLength(SERIES_POINTS);
  expect(series[0]).toEqual({ time: "2026-12-01T00:00:00.000Z", cpu_pct: 1, load_1: 1, mem_used_pct: null });
  expect(series[23]).toEqual({
    time: "2026-12-03T21:00:00.000Z",
    cpu_pct: 70,
    load_1: 1,
    mem_used_pct: null,
  });
});

test("fewer points than buckets keep their own values; a gap stays a gap", () => {
  const ps = points(6, (i) => [i * 10, 1, 30]).filter((_, i) => i !== 3);
  const series = downsampleSeries(ps, new Date(T0), new Date(T0 + 6 * HOUR));
  expect(series.map((p) => p.cpu_pct)).toEqual([0, 10, 20, 40, 50]);
});
