import type { Sql } from "postgres";

/**
 * Plain-PostgreSQL stand-in for the TimescaleDB continuous aggregates: recomputes from system_metrics
 * every hourly and daily bucket that overlaps [from, to), and upserts it. A bucket is always recomputed
 * whole (from all of its raw rows), so samples that arrive late, after an outage, are folded in by
 * refreshing again over their time. The expressions are those of the continuous aggregates in
 * sql/migrations/2026-11-25-02-timeseries.timescaledb.sql; keep the two in step.
 */
export interface RefreshRange {
  from: Date;
  to: Date;
}

/** Rows inserted or changed per rollup table. */
export interface RefreshReport {
  hourly: number;
  daily: number;
}

export type RollupGrain = keyof RefreshReport;

export const ROLLUPS: Record<RollupGrain, { table: string; width: string }> = {
  hourly: { table: "system_metrics_hourly", width: "1 hour" },
  daily: { table: "system_metrics_daily", width: "1 day" },
};

export async function refreshRollups(sql: Sql, range: RefreshRange): Promise<RefreshReport> {
  if (range.from.getTime() >= range.to.getTime()) return { hourly: 0, daily: 0 };
  // Sequential: both read the same raw rows, and one at a time keeps the pool free for the ingest.
  const hourly = await refreshGrain(sql, "hourly", range);
  const daily = await refreshGrain(sql, "daily", range);
  return { hourly, daily };
}

async function refreshGrain(sql: Sql, grain: RollupGrain, { from, to }: RefreshRange): Promise<number> {
  const { table, width } = ROLLUPS[grain];
  // Raw rows from the start of the bucket holding `from` to the end of the bucket holding the last
  // instant before `to`. The IS DISTINCT FROM guard skips rewriting rows that did not change, so a
  // refresh of a quiet range writes (and bloats) nothing.
  const result = await sql`
    INSERT INTO ${sql(table)} AS r (
      bucket, device_id, samples, cpu_pct_avg, cpu_pct_max, load_1_avg, load_1_max,
      mem_used_bytes_avg, mem_used_bytes_max, mem_total_bytes, swap_used_bytes_max, process_count_max
    )
    SELECT
      time_bucket(${width}::interval, time) AS bucket,
      device_id,
      count(*),
      avg(cpu_pct),
      max(cpu_pct),
      avg(load_1),
      max(load_1),
      avg(mem_used_bytes::double precision),
      max(mem_used_bytes),
      max(mem_total_bytes),
      max(swap_used_bytes),
      max(process_count)
    FROM system_metrics
    WHERE time >= time_bucket(${width}::interval, ${from}::timestamptz)
      AND time < time_bucket(${width}::interval, ${to}::timestamptz - interval '1 microsecond')
        + ${width}::interval
    GROUP BY 1, 2
    ON CONFLICT (device_id, bucket) DO UPDATE SET
      samples = EXCLUDED.samples,
      cpu_pct_avg = EXCLUDED.cpu_pct_avg,
      cpu_pct_max = EXCLUDED.cpu_pct_max,
      load_1_avg = EXCLUDED.load_1_avg,
      load_1_max = EXCLUDED.load_1_max,
      mem_used_bytes_avg = EXCLUDED.mem_used_bytes_avg,
      mem_used_bytes_max = EXCLUDED.mem_used_bytes_max,
      mem_total_bytes = EXCLUDED.mem_total_bytes,
      swap_used_bytes_max = EXCLUDED.swap_used_bytes_max,
      process_count_max = EXCLUDED.process_count_max
    WHERE (r.*) IS DISTINCT FROM (EXCLUDED.*)
  `;
  return result.count;
}
