import { TABLES } from "@infrastructor/lib/db/database.ts";
import {
  DEFAULT_RETENTION_AGES,
  isPlainOnBothFlavors,
  keepMs,
  type RetentionAges,
} from "@infrastructor/lib/db/retention.ts";
import type { AnyTable } from "@infrastructor/lib/db/table.ts";
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

/** Every declaration that says how long its rows are kept (shared/lib/db/table.ts `retention`). */
const RETAINED: readonly AnyTable[] = (TABLES as readonly AnyTable[]).filter((t) => t.retention !== null);

/** Plain tables on both flavors: TimescaleDB's policies do not reach them, so this prunes them there too. */
export const PLAIN_TABLES: readonly string[] = RETAINED.filter(isPlainOnBothFlavors).map((t) => t.name);

/**
 * Every table the collector prunes on plain PostgreSQL, from the declarations: the time series and
 * rollups (TimescaleDB's policies on that flavor), then the plain tables.
 */
export const RETENTION_TABLES: readonly string[] = [
  ...RETAINED.filter((t) => !isPlainOnBothFlavors(t)).map((t) => t.name),
  ...PLAIN_TABLES,
];

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

/** How long each pruned table keeps its rows (infra://config shows these). */
export function retentionByTable(options: Partial<RetentionOptions> = {}): Record<RetentionTable, number> {
  const o = { ...defaultRetentionOptions(), ...options };
  return Object.fromEntries(o.tables.map((table) => [table, policyOf(table, o).keepMs]));
}

/** The time column and the kept age of each table, as its declaration says. */
function policyOf(table: RetentionTable, o: RetentionOptions): { column: string; keepMs: number } {
  const retention = RETAINED.find((t) => t.name === table)?.retention;
  if (!retention) throw new AppError(ErrorCode.INVALID_ARGUMENT, `no retention policy for table ${table}`);
  return { column: retention.by, keepMs: keepMs(retention.keep, o) };
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
