import type { AnyTable, Keep } from "./table.ts";

const DAY_MS = 86_400_000;

/** The ages the collector is configured with (RETENTION_RAW, RETENTION_HOURLY, RETENTION_DAILY; rejects). */
export interface RetentionAges {
  rawMs: number;
  hourlyMs: number;
  dailyMs: number;
  rejectsMs: number;
}

/** The collector's defaults, which the TimescaleDB migrations' retention policies repeat. */
export const DEFAULT_RETENTION_AGES: RetentionAges = {
  rawMs: 30 * DAY_MS,
  hourlyMs: 90 * DAY_MS,
  dailyMs: 365 * DAY_MS,
  rejectsMs: 30 * DAY_MS,
};

/** How long a declaration's rows are kept under these ages. */
export function keepMs(keep: Keep, ages: RetentionAges): number {
  if (typeof keep === "object") return keep.days * DAY_MS;
  switch (keep) {
    case "raw":
      return ages.rawMs;
    case "hourly":
      return ages.hourlyMs;
    case "daily":
      return ages.dailyMs;
    case "rejects":
      return ages.rejectsMs;
  }
}

/** A table TimescaleDB's policies cannot reach: pruned by the collector on both flavors. */
export function isPlainOnBothFlavors(table: AnyTable): boolean {
  return table.kind !== "timeseries" && table.kind !== "rollup";
}
