import type { Store } from "@infrastructor/mcp/store/store.ts";
import { percent, round } from "@infrastructor/mcp/tools/common/domain-data.ts";
import { type RawBuilder, sql } from "kysely";
import { z } from "zod";
import { downsampleSeries, historyStats, MetricStatsSchema, SeriesPointSchema } from "./history-stats.ts";

/** `30m`, `6h`, `7d`: how far back the history reaches. */
export const RANGE_PATTERN = /^(\d{1,5})(m|h|d)$/;
export const MAX_RANGE_MS = 365 * 86_400_000;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function rangeMs(range: string): number {
  const m = RANGE_PATTERN.exec(range);
  if (m === null) return Number.NaN;
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

export type Resolution = "raw" | "hourly" | "daily";

/** auto: raw samples up to 6 h, hourly rollups up to 7 days, daily beyond. */
export function pickResolution(ms: number, asked: Resolution | "auto"): Resolution {
  if (asked !== "auto") return asked;
  if (ms <= 6 * UNIT_MS.h) return "raw";
  if (ms <= 7 * UNIT_MS.d) return "hourly";
  return "daily";
}

export const HistoryPointSchema = z.object({
  time: z.string().describe("start of the point (a sample's time, or its bucket's start)"),
  samples: z.number(),
  cpu_pct_avg: z.number().nullable(),
  cpu_pct_max: z.number().nullable(),
  load_1_avg: z.number(),
  load_1_max: z.number(),
  mem_used_pct_avg: z.number().nullable(),
  mem_used_pct_max: z.number().nullable(),
  swap_used_bytes_max: z.number(),
});
export type HistoryPoint = z.infer<typeof HistoryPointSchema>;

export const HistorySchema = z.object({
  range: z.string(),
  resolution: z.enum(["raw", "hourly", "daily"]),
  from: z.string(),
  to: z.string(),
  summary: z.object({
    samples: z.number().describe("raw samples the range holds"),
    cpu_pct_avg: z.number().nullable(),
    cpu_pct_max: z.number().nullable(),
    cpu_pct_max_at: z.string().nullable(),
    load_1_avg: z.number().nullable(),
    load_1_max: z.number().nullable(),
    mem_used_pct_avg: z.number().nullable(),
    mem_used_pct_max: z.number().nullable(),
    swap_used_bytes_max: z.number().nullable(),
  }),
  points: z.array(HistoryPointSchema).describe("oldest first"),
  points_available: z.number().describe("points at the chosen resolution before downsampling"),
  downsampled: z.boolean().describe("points were merged (averages weighted by samples, maxima kept)"),
  bucket_s: z.number().nullable().describe("width of a point in seconds; null for raw samples"),
  stats: z
    .object({
      cpu_pct: MetricStatsSchema.optional(),
      load_1: MetricStatsSchema.optional(),
      mem_used_pct: MetricStatsSchema.optional(),
    })
    .describe(
      "per metric over the points: min/avg/max, first and last, least-squares trend; absent: no data",
    ),
  series: z
    .array(SeriesPointSchema)
    .describe("the points as at most 24 equal buckets over the range (averages), oldest first"),
});
export type History = z.infer<typeof HistorySchema>;

interface Row {
  t: Date;
  n: number;
  cpu_avg: number | null;
  cpu_max: number | null;
  load_avg: number;
  load_max: number;
  mem_avg: number;
  mem_max: number;
  mem_total: number;
  swap_max: number;
}

const NATIVE_S: Record<Resolution, number | null> = { raw: null, hourly: 3600, daily: 86_400 };

/** One row per raw sample or rollup bucket overlapping [from, to], as (time, weight, avg, max) columns. */
function source(deviceId: number, resolution: Resolution, from: Date, to: Date): RawBuilder<Row> {
  if (resolution === "raw") {
    return sql<Row>`
      SELECT time AS t, 1::float8 AS n, cpu_pct::float8 AS cpu_avg, cpu_pct::float8 AS cpu_max,
        load_1::float8 AS load_avg, load_1::float8 AS load_max, mem_used_bytes::float8 AS mem_avg,
        mem_used_bytes::float8 AS mem_max, mem_total_bytes::float8 AS mem_total,
        swap_used_bytes::float8 AS swap_max
      FROM system_metrics WHERE device_id = ${deviceId} AND time >= ${from} AND time <= ${to}`;
  }
  const table = sql.table(resolution === "hourly" ? "system_metrics_hourly" : "system_metrics_daily");
  const width = `${NATIVE_S[resolution]} seconds`;
  return sql<Row>`
    SELECT bucket AS t, samples::float8 AS n, cpu_pct_avg AS cpu_avg, cpu_pct_max::float8 AS cpu_max,
      load_1_avg AS load_avg, load_1_max::float8 AS load_max, mem_used_bytes_avg AS mem_avg,
      mem_used_bytes_max::float8 AS mem_max, mem_total_bytes::float8 AS mem_total,
      swap_used_bytes_max::float8 AS swap_max
    FROM ${table}
    WHERE device_id = ${deviceId} AND bucket > ${from}::timestamptz - ${width}::interval AND bucket <= ${to}`;
}

/**
 * The device's cpu, load, memory and swap over [now - range, now] from system_metrics or its rollups,
 * merged into at most `maxPoints` buckets (weighted averages, maxima kept) when there are more.
 */
export async function readHistory(
  store: Store,
  deviceId: number,
  range: string,
  resolution: Resolution,
  maxPoints: number,
  now: Date,
): Promise<History> {
  const ms = rangeMs(range);
  const from = new Date(now.getTime() - ms);
  const src = source(deviceId, resolution, from, now);
  const available = await store.guard("count metrics history", async () => {
    const r = await sql<{ c: number }>`SELECT count(*)::int AS c FROM (${src}) s`.execute(store.db);
    return r.rows[0]?.c ?? 0;
  });
  const downsampled = available > maxPoints;
  let bucketS = NATIVE_S[resolution];
  let rows: Row[];
  if (!downsampled) {
    rows = await store.guard("read metrics history", async () => {
      return (await sql<Row>`SELECT * FROM (${src}) s ORDER BY t`.execute(store.db)).rows;
    });
  } else {
    // One fewer than asked: buckets are aligned to the epoch, so the range may straddle one more.
    const native = NATIVE_S[resolution] ?? 60; // raw samples merge into whole minutes
    bucketS = Math.ceil(ms / 1000 / Math.max(1, maxPoints - 1) / native) * native;
    const width = `${bucketS} seconds`;
    rows = await store.guard("read metrics history", async () => {
      const r = await sql<Row>`
        SELECT time_bucket(${width}::interval, t) AS t, sum(n) AS n,
          sum(cpu_avg * n) / nullif(sum(n) FILTER (WHERE cpu_avg IS NOT NULL), 0) AS cpu_avg,
          max(cpu_max) AS cpu_max, sum(load_avg * n) / sum(n) AS load_avg, max(load_max) AS load_max,
          sum(mem_avg * n) / sum(n) AS mem_avg, max(mem_max) AS mem_max, max(mem_total) AS mem_total,
          max(swap_max) AS swap_max
        FROM (${src}) s GROUP BY 1 ORDER BY 1`.execute(store.db);
      return r.rows;
    });
  }
  const points = rows.map(toPoint);
  const summary = summarize(rows);
  return {
    range,
    resolution,
    from: from.toISOString(),
    to: now.toISOString(),
    summary,
    points,
    points_available: available,
    downsampled,
    bucket_s: bucketS,
    stats: withHighs(historyStats(points, ms), summary),
    series: downsampleSeries(points, from, now),
  };
}

function toPoint(r: Row): HistoryPoint {
  return {
    time: new Date(r.t).toISOString(),
    samples: r.n,
    cpu_pct_avg: r.cpu_avg === null ? null : round(r.cpu_avg),
    cpu_pct_max: r.cpu_max === null ? null : round(r.cpu_max),
    load_1_avg: round(r.load_avg, 2),
    load_1_max: round(r.load_max, 2),
    mem_used_pct_avg: percent(r.mem_avg, r.mem_total),
    mem_used_pct_max: percent(r.mem_max, r.mem_total),
    swap_used_bytes_max: r.swap_max,
  };
}

/** Highs and sample-weighted averages over all rows. */
function summarize(rows: Row[]): History["summary"] {
  let samples = 0;
  let cpuWeight = 0;
  let cpuSum = 0;
  let loadSum = 0;
  let memPctSum = 0;
  let cpuMax: Row | null = null;
  let loadMax = Number.NEGATIVE_INFINITY;
  let memPctMax: number | null = null;
  let swapMax = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    samples += r.n;
    if (r.cpu_avg !== null) {
      cpuSum += r.cpu_avg * r.n;
      cpuWeight += r.n;
    }
    if (r.cpu_max !== null && (cpuMax === null || r.cpu_max > (cpuMax.cpu_max ?? 0))) cpuMax = r;
    loadSum += r.load_avg * r.n;
    loadMax = Math.max(loadMax, r.load_max);
    if (r.mem_total > 0) {
      memPctSum += (r.mem_avg / r.mem_total) * r.n;
      memPctMax = Math.max(memPctMax ?? 0, r.mem_max / r.mem_total);
    }
    swapMax = Math.max(swapMax, r.swap_max);
  }
  const any = samples > 0;
  return {
    samples,
    cpu_pct_avg: cpuWeight > 0 ? round(cpuSum / cpuWeight) : null,
    cpu_pct_max: cpuMax?.cpu_max === null || cpuMax === null ? null : round(cpuMax.cpu_max),
    cpu_pct_max_at: cpuMax === null ? null : new Date(cpuMax.t).toISOString(),
    load_1_avg: any ? round(loadSum / samples, 2) : null,
    load_1_max: any ? round(loadMax, 2) : null,
    mem_used_pct_avg: any ? round((memPctSum / samples) * 100) : null,
    mem_used_pct_max: memPctMax === null ? null : round(memPctMax * 100),
    swap_used_bytes_max: any ? swapMax : null,
  };
}

/** The stats' max is the true high: each sample's (or bucket's max column), not the highest average. */
function withHighs(stats: History["stats"], s: History["summary"]): History["stats"] {
  const high = { cpu_pct: s.cpu_pct_max, load_1: s.load_1_max, mem_used_pct: s.mem_used_pct_max };
  const out: History["stats"] = {};
  for (const key of Object.keys(stats) as (keyof History["stats"])[]) {
    const m = stats[key];
    if (m !== undefined) out[key] = { ...m, max: Math.max(m.max, high[key] ?? m.max) };
  }
  return out;
}
