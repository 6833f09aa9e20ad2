import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { Sql } from "postgres";
import { TIME_SERIES_TABLES } from "../ingest/writers.ts";

/**
 * Deletes rows past their retention, in bounded batches: one huge DELETE would hold its locks and
 * its WAL for minutes and leave the ingest waiting; many small ones let writes through in between.
 * On plain PostgreSQL this is the whole retention; on TimescaleDB the policies drop chunks of the
 * hypertables and rollups, and only the plain tables of both flavors (ingest_rejects and the
 * enrollment audit, enrollment_events) are left to this.
 */
export interface RetentionOptions {
  rawMs: number;
  hourlyMs: number;
  dailyMs: number;
  rejectsMs: number;
  /** Rows per DELETE statement. */
  batchSize: number;
  /** Which tables to prune; defaults to all of RETENTION_TABLES. */
  tables: readonly RetentionTable[];
}

/**
 * Every table the collector prunes on plain PostgreSQL: each domain's time-series tables (from its
 * writer; a table may keep its rows for another time than the raw default), the rollups and the rejects.
 */
export const RETENTION_TABLES: readonly string[] = [
  ...TIME_SERIES_TABLES.map((t) => t.name),
  "system_metrics_hourly",
  "system_metrics_daily",
  "ingest_rejects",
  "enrollment_events",
];

/** Plain tables on both flavors: TimescaleDB's policies do not reach them, so this prunes them there too. */
export const PLAIN_TABLES: readonly string[] = ["ingest_rejects", "enrollment_events"];

/**
 * The enrollment audit is kept a year: long enough to trace a takeover attempt back; its growth is
 * otherwise bounded only by /api/enroll's rate limit.
 */
const ENROLLMENT_EVENTS_KEEP_MS = 365 * 86_400_000;

export type RetentionTable = string;

const DAY_MS = 86_400_000;

export function defaultRetentionOptions(): RetentionOptions {
  return {
    rawMs: 30 * DAY_MS,
    hourlyMs: 90 * DAY_MS,
    dailyMs: 365 * DAY_MS,
    rejectsMs: 30 * DAY_MS,
    batchSize: 10_000,
    tables: RETENTION_TABLES,
  };
}

export interface RetentionResult {
  table: RetentionTable;
  deleted: number;
  /** DELETE statements that removed at least one row. */
  batches: number;
}

/** How long each pruned table keeps its rows (infra://config shows these). */
export function retentionByTable(options: Partial<RetentionOptions> = {}): Record<RetentionTable, number> {
  const o = { ...defaultRetentionOptions(), ...options };
  return Object.fromEntries(o.tables.map((table) => [table, policyOf(table, o).keepMs]));
}

/** The time column and the kept age of each table. */
function policyOf(table: RetentionTable, o: RetentionOptions): { column: string; keepMs: number } {
  switch (table) {
    case "system_metrics_hourly":
      return { column: "bucket", keepMs: o.hourlyMs };
    case "system_metrics_daily":
      return { column: "bucket", keepMs: o.dailyMs };
    case "ingest_rejects":
      return { column: "received_at", keepMs: o.rejectsMs };
    case "enrollment_events":
      return { column: "at", keepMs: ENROLLMENT_EVENTS_KEEP_MS };
    default: {
      const spec = TIME_SERIES_TABLES.find((t) => t.name === table);
      if (!spec) throw new AppError(ErrorCode.INVALID_ARGUMENT, `no retention policy for table ${table}`);
      return { column: "time", keepMs: spec.retentionMs ?? o.rawMs };
    }
  }
}

export async function enforceRetention(
  sql: Sql,
  options: Partial<RetentionOptions> = {},
): Promise<RetentionResult[]> {
  const o = { ...defaultRetentionOptions(), ...options };
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) {
    throw new AppError(
      ErrorCode.INVALID_ARGUMENT,
      `batchSize must be a positive integer, not ${o.batchSize}`,
    );
  }
  const results: RetentionResult[] = [];
  for (const table of o.tables) {
    const { column, keepMs } = policyOf(table, o);
    // One cutoff per table and run: rows aging past it meanwhile wait for the next run, so the loop
    // below always ends. The collector's clock is close enough for ages counted in days.
    const cutoff = new Date(Date.now() - keepMs);
    let deleted = 0;
    let batches = 0;
    for (;;) {
      // The rows have no single-column key; ctid picks exactly the batch the subquery found.
      const { count } = await sql`
        DELETE FROM ${sql(table)}
        WHERE ctid = ANY (ARRAY(
          SELECT ctid FROM ${sql(table)} WHERE ${sql(column)} < ${cutoff} LIMIT ${o.batchSize}
        ))
      `;
      if (count > 0) batches += 1;
      deleted += count;
      if (count < o.batchSize) break;
    }
    results.push({ table, deleted, batches });
  }
  return results;
}
