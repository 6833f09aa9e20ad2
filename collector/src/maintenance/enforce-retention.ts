import {
  DEFAULT_RETENTION_AGES,
  RETENTION_TABLES,
  type RetentionAges,
  retentionPolicy,
} from "@infrastructor/lib/db/retention.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { Sql } from "postgres";

/**
 * Deletes rows past their retention, in bounded batches: one huge DELETE would hold its locks and
 * its WAL for minutes and leave the ingest waiting; many small ones let writes through in between.
 * On plain PostgreSQL this is the whole retention; on TimescaleDB the policies drop chunks of the
 * hypertables and rollups, and only the plain tables of both flavors (ingest_rejects and the
 * enrollment audit, enrollment_events) are left to this.
 */
export interface RetentionOptions extends RetentionAges {
  /** Rows per DELETE statement. */
  batchSize: number;
  /** Which tables to prune; defaults to all of RETENTION_TABLES. */
  tables: readonly RetentionTable[];
}

export type RetentionTable = string;

export function defaultRetentionOptions(): RetentionOptions {
  return { ...DEFAULT_RETENTION_AGES, batchSize: 10_000, tables: RETENTION_TABLES };
}

export interface RetentionResult {
  table: RetentionTable;
  deleted: number;
  /** DELETE statements that removed at least one row. */
  batches: number;
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
    const { column, keepMs } = retentionPolicy(table, o);
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
