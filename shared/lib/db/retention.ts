import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { TABLES } from "./database.ts";
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

/** Every declaration that says how long its rows are kept (table.ts `retention`). */
const RETAINED: readonly AnyTable[] = (TABLES as readonly AnyTable[]).filter((t) => t.retention !== null);

/** Plain tables on both flavors: TimescaleDB's policies do not reach them, so the collector prunes them there too. */
export const PLAIN_TABLES: readonly string[] = RETAINED.filter(isPlainOnBothFlavors).map((t) => t.name);

/**
 * Every table the collector prunes on plain PostgreSQL: the time series and rollups (TimescaleDB's
 * policies on that flavor), then the plain tables.
 */
export const RETENTION_TABLES: readonly string[] = [
  ...RETAINED.filter((t) => !isPlainOnBothFlavors(t)).map((t) => t.name),
  ...PLAIN_TABLES,
];

/** The time column a table's rows age by and how long they are kept, as its declaration says. */
export function retentionPolicy(table: string, ages: RetentionAges): { column: string; keepMs: number } {
  const retention = RETAINED.find((t) => t.name === table)?.retention;
  if (!retention) throw new AppError(ErrorCode.INVALID_ARGUMENT, `no retention policy for table ${table}`);
  return { column: retention.by, keepMs: keepMs(retention.keep, ages) };
}

/** How long each pruned table keeps its rows under these ages (infra://config shows these). */
export function retentionByTable(
  options: Partial<RetentionAges> & { tables?: readonly string[] } = {},
): Record<string, number> {
  const ages = { ...DEFAULT_RETENTION_AGES, ...options };
  const tables = options.tables ?? RETENTION_TABLES;
  return Object.fromEntries(tables.map((table) => [table, retentionPolicy(table, ages).keepMs]));
}
