import { round } from "@infrastructor/mcp/tools/common/domain-data.ts";
import { groupBy } from "@infrastructor/shared/group-by.ts";
import { z } from "zod";
import type { HistoryPoint } from "./metrics-history.ts";

/** A text answer shows at most this many points per metric: enough to see a shape, few enough to read. */
export const SERIES_POINTS = 24;
const HOUR_MS = 3_600_000;

/** The metrics a history describes, each with its point field and the change below which it is "flat". */
const METRICS = {
  cpu_pct: { field: "cpu_pct_avg", flatBelow: 2 },
  load_1: { field: "load_1_avg", flatBelow: 0.1 },
  mem_used_pct: { field: "mem_used_pct_avg", flatBelow: 1 },
} as const;
export type HistoryMetric = keyof typeof METRICS;
export const HISTORY_METRICS = Object.keys(METRICS) as HistoryMetric[];

export const MetricStatsSchema = z.object({
  min: z.number().describe("lowest point: a sample, or a bucket's average with rollups or merged points"),
  avg: z.number().describe("sample-weighted average"),
  max: z.number().describe("highest sample (a rollup bucket's own maximum)"),
  first: z.number().describe("the oldest point's value"),
  last: z.number().describe("the newest point's value"),
  trend: z.enum(["rising", "falling", "flat"]),
  slope: z.number().describe("least-squares slope of the point values, per `slope_per`"),
  slope_per: z.enum(["hour", "day"]),
});
export type MetricStats = z.infer<typeof MetricStatsSchema>;

export const SeriesPointSchema = z.object({
  time: z.string().describe("start of the bucket"),
  cpu_pct: z.number().nullable(),
  load_1: z.number().nullable(),
  mem_used_pct: z.number().nullable(),
});
export type SeriesPoint = z.infer<typeof SeriesPointSchema>;

type Pair = { t: number; v: number; n: number };

function pairs(points: readonly HistoryPoint[], metric: HistoryMetric): Pair[] {
  const field = METRICS[metric].field;
  return points.flatMap((p) => {
    const v = p[field];
    return v === null ? [] : [{ t: Date.parse(p.time), v, n: p.samples }];
  });
}

/**
 * Least squares slope of value over time, in value per hour. Unweighted by samples on purpose: each
 * point is one moment of the shape, and a bucket holding more samples is not more of the trend.
 */
export function slopePerHour(ps: readonly { t: number; v: number }[]): number {
  if (ps.length < 2) return 0;
  const mt = ps.reduce((a, p) => a + p.t, 0) / ps.length;
  const mv = ps.reduce((a, p) => a + p.v, 0) / ps.length;
  let num = 0;
  let den = 0;
  for (const p of ps) {
    num += (p.t - mt) * (p.v - mv);
    den += (p.t - mt) ** 2;
  }
  return den === 0 ? 0 : (num / den) * HOUR_MS;
}

/**
 * min/avg/max, first/last and the trend of each metric over the points. The trend is flat when the
 * fitted change over the whole range is under the metric's floor (2 points of cpu %, 0.1 of load, 1 of
 * memory %) or under 5 % of the average: noise, not a direction. The slope is per hour up to 2 days of
 * range, per day beyond (a month of +0.01/h reads better as +0.24/day).
 */
export function historyStats(
  points: readonly HistoryPoint[],
  rangeMs: number,
): Partial<Record<HistoryMetric, MetricStats>> {
  const out: Partial<Record<HistoryMetric, MetricStats>> = {};
  const perDay = rangeMs > 2 * 24 * HOUR_MS;
  for (const metric of HISTORY_METRICS) {
    const ps = pairs(points, metric);
    const first = ps[0];
    const last = ps.at(-1);
    if (first === undefined || last === undefined) continue;
    const weight = ps.reduce((a, p) => a + p.n, 0);
    const avg = ps.reduce((a, p) => a + p.v * p.n, 0) / (weight || 1);
    const slope = slopePerHour(ps);
    const change = slope * ((last.t - first.t) / HOUR_MS);
    const flat = Math.abs(change) < Math.max(METRICS[metric].flatBelow, 0.05 * Math.abs(avg));
    const digits = metric === "load_1" ? 2 : 1;
    out[metric] = {
      min: Math.min(...ps.map((p) => p.v)),
      avg: round(avg, digits),
      max: Math.max(...ps.map((p) => p.v)),
      first: first.v,
      last: last.v,
      trend: flat ? "flat" : change > 0 ? "rising" : "falling",
      slope: round(perDay ? slope * 24 : slope, 3),
      slope_per: perDay ? "day" : "hour",
    };
  }
  return out;
}

/**
 * The points merged into at most SERIES_POINTS equal buckets over [from, to]: sample-weighted averages,
 * each with its bucket's start. Empty buckets are left out (a gap in the data stays a gap).
 */
export function downsampleSeries(points: readonly HistoryPoint[], from: Date, to: Date): SeriesPoint[] {
  const start = from.getTime();
  const width = Math.max(1, (to.getTime() - start) / SERIES_POINTS);
  const buckets = groupBy(points, (p) =>
    Math.min(SERIES_POINTS - 1, Math.max(0, Math.floor((Date.parse(p.time) - start) / width))),
  );
  return [...buckets.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([i, ps]) => ({
      time: new Date(start + i * width).toISOString(),
      cpu_pct: weighted(ps, "cpu_pct", 1),
      load_1: weighted(ps, "load_1", 2),
      mem_used_pct: weighted(ps, "mem_used_pct", 1),
    }));
}

function weighted(ps: readonly HistoryPoint[], metric: HistoryMetric, digits: number): number | null {
  const xs = pairs(ps, metric);
  const n = xs.reduce((a, p) => a + p.n, 0);
  return n === 0 ? null : round(xs.reduce((a, p) => a + p.v * p.n, 0) / n, digits);
}
