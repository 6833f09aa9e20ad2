import { expect, test } from "bun:test";
import type { History } from "./metrics-history.ts";
import { loadText, renderHistory } from "./render-metrics.ts";

const empty: History = {
  range: "6h",
  resolution: "raw",
  from: "2026-12-02T04:00:00.000Z",
  to: "2026-12-02T10:00:00.000Z",
  summary: {
    samples: 0,
    cpu_pct_avg: null,
    cpu_pct_max: null,
    cpu_pct_max_at: null,
    load_1_avg: null,
    load_1_max: null,
    mem_used_pct_avg: null,
    mem_used_pct_max: null,
    swap_used_bytes_max: null,
  },
  points: [],
  points_available: 0,
  downsampled: false,
  bucket_s: null,
  stats: {},
  series: [],
};

test("load is always printed with its core count, or says the count is unknown", () => {
  expect(loadText({ load_1: 7.9, load_5: 6.1, load_15: 5 }, 4)).toBe(
    "load 7.9/6.1/5 (1/5/15 min) on 4 cores",
  );
  expect(loadText({ load_1: 1, load_5: 1, load_15: 1 }, null)).toContain("on ? cores");
});

test("a range without samples says so instead of printing empty figures", () => {
  expect(renderHistory(empty, 4)).toEqual([
    "history 6h from 2026-12-02T04:00:00.000Z to 2026-12-02T10:00:00.000Z (raw, 0 points; 0 samples):",
    "- no samples in this range",
  ]);
});

test("a month: dated series entries, per-day slope, the swap high", () => {
  const h: History = {
    ...empty,
    range: "30d",
    resolution: "daily",
    summary: { ...empty.summary, samples: 2, swap_used_bytes_max: 2 * 2 ** 30 },
    stats: {
      mem_used_pct: {
        min: 40,
        avg: 45,
        max: 50,
        first: 40,
        last: 50,
        trend: "rising",
        slope: 0.5,
        slope_per: "day",
      },
    },
    series: [{ time: "2026-11-03T00:00:00.000Z", cpu_pct: null, load_1: 1.5, mem_used_pct: 40 }],
  };
  const lines = renderHistory(h, 8);
  expect(lines).toContain("- memory %: min 40 avg 45 max 50; first 40, last 50; rising (+0.5/day)");
  expect(lines).toContain("- cpu %: no data");
  expect(lines).toContain("- swap used: max 2.0 GiB");
  expect(lines.at(-1)).toBe("11-03 00:00 ?/1.5/40");
});
