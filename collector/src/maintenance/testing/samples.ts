import type { Sql } from "postgres";

/** The system_metrics columns the rollups read; the others get fixed values. */
export interface Sample {
  time: Date;
  device_id: number;
  cpu_pct?: number | null;
  load_1?: number;
  mem_used_bytes?: number;
  mem_total_bytes?: number;
  swap_used_bytes?: number;
  process_count?: number;
}

export async function insertSamples(sql: Sql, samples: Sample[]): Promise<void> {
  const rows = samples.map((s) => ({
    time: s.time,
    device_id: s.device_id,
    cpu_pct: s.cpu_pct ?? null,
    load_1: s.load_1 ?? 1,
    load_5: 1,
    load_15: 1,
    mem_total_bytes: s.mem_total_bytes ?? 8_000,
    mem_used_bytes: s.mem_used_bytes ?? 1_000,
    mem_available_bytes: 0,
    swap_total_bytes: 0,
    swap_used_bytes: s.swap_used_bytes ?? 0,
    uptime_s: 1,
    process_count: s.process_count ?? 100,
  }));
  await sql`INSERT INTO system_metrics ${sql(rows)}`;
}

export interface RollupRow {
  bucket: Date;
  device_id: number;
  samples: number;
  cpu_pct_avg: number | null;
  cpu_pct_max: number | null;
  load_1_avg: number;
  load_1_max: number;
  mem_used_bytes_avg: number;
  mem_used_bytes_max: number;
  mem_total_bytes: number;
  swap_used_bytes_max: number;
  process_count_max: number;
}

/** A rollup table's rows, bigint columns as numbers (postgres.js returns them as strings). */
export async function readRollup(
  sql: Sql,
  table: "system_metrics_hourly" | "system_metrics_daily",
): Promise<RollupRow[]> {
  const rows = await sql<RollupRow[]>`
    SELECT bucket, device_id, samples::float8 AS samples, cpu_pct_avg, cpu_pct_max, load_1_avg, load_1_max,
      mem_used_bytes_avg, mem_used_bytes_max::float8 AS mem_used_bytes_max,
      mem_total_bytes::float8 AS mem_total_bytes, swap_used_bytes_max::float8 AS swap_used_bytes_max,
      process_count_max
    FROM ${sql(table)} ORDER BY device_id, bucket
  `;
  return [...rows];
}
