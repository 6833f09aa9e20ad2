import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { TransactionSql } from "postgres";
import { copyIn } from "../db/copy-in.ts";
import { copyStatement, type TimeSeriesTableSpec } from "./domain-writer.ts";

/** What one merge of a table wrote, counted by the table's primary key. */
export interface MergeCount {
  table: string;
  /** Distinct keys the batch had for the table. */
  attempted: number;
  /** The INSERT's own count (its command tag). */
  inserted: number;
  /** Keys that were in the table before (the redelivered rows). */
  alreadyPresent: number;
  /** Keys in neither: rows the statement reported success for and did not write. */
  missing: number;
}

/**
 * The duplicate path wrote fewer rows than it was given, with no error: `inserted + alreadyPresent`
 * fell short of `attempted`. TimescaleDB before 2.18.1 does exactly this (#7672: the INSERT stops at the
 * first row matching a compressed chunk and drops the rest); a trigger or another engine bug could too.
 * The transaction is rolled back and the batch retried, never acked.
 */
export class ShortWriteError extends AppError {
  readonly count: MergeCount;

  constructor(count: MergeCount) {
    super(
      ErrorCode.INTERNAL,
      `short write into ${count.table}: ${count.attempted} rows attempted, ${count.inserted} inserted + ${count.alreadyPresent} already present; ${count.missing} silently not written (the database reported success)`,
      { details: { ...count } },
    );
    this.count = count;
  }
}

/** Primary key columns per table, read once: the key ON CONFLICT merges on. */
const primaryKeys = new Map<string, string[]>();

async function primaryKey(tx: TransactionSql, table: string): Promise<string[]> {
  const known = primaryKeys.get(table);
  if (known !== undefined) return known;
  const rows = await tx<{ column: string }[]>`
    SELECT a.attname AS column
    FROM pg_index i
    JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) ON true
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
    WHERE i.indrelid = ${table}::regclass AND i.indisprimary
    ORDER BY k.n`;
  if (rows.length === 0)
    throw new AppError(ErrorCode.INTERNAL, `table ${table} has no primary key to merge on`);
  const key = rows.map((r) => r.column);
  primaryKeys.set(table, key);
  return key;
}

/**
 * Writes redelivered rows through a staging table with ON CONFLICT DO NOTHING, and checks the statement
 * against the table: every key of the batch must be in the table afterwards, either inserted now (the
 * command tag's count) or there before. Counted after the INSERT, in the same transaction, so a row a
 * concurrent batch committed meanwhile counts as present rather than as lost (a count taken before the
 * INSERT would cry wolf then). Throws ShortWriteError on a shortfall.
 */
export async function mergeIn(
  tx: TransactionSql,
  table: TimeSeriesTableSpec,
  data: Uint8Array,
): Promise<MergeCount> {
  const stage = `ingest_stage_${table.name}`;
  const columns = table.columns.join(", ");
  await tx.unsafe(`CREATE TEMP TABLE ${stage} (LIKE ${table.name}) ON COMMIT DROP`);
  await copyIn(tx, copyStatement(table, stage), data);
  const insert = await tx.unsafe(
    `INSERT INTO ${table.name} (${columns}) SELECT ${columns} FROM ${stage} ON CONFLICT DO NOTHING`,
  );
  const key = await primaryKey(tx, table.name);
  const match = key.map((c) => `t.${c} = s.${c}`).join(" AND ");
  const [row] = await tx.unsafe<{ attempted: number; missing: number }[]>(
    `SELECT count(*)::int AS attempted,
            count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM ${table.name} t WHERE ${match}))::int AS missing
     FROM (SELECT DISTINCT ${key.join(", ")} FROM ${stage}) s`,
  );
  const attempted = row?.attempted ?? 0;
  const missing = row?.missing ?? 0;
  const inserted = insert.count;
  const count = {
    table: table.name,
    attempted,
    inserted,
    alreadyPresent: attempted - missing - inserted,
    missing,
  };
  if (missing > 0) throw new ShortWriteError(count);
  return count;
}
