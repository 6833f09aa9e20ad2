import { type CopyEncoder, copyEncoder } from "@infrastructor/lib/db/copy-encoder.ts";
import type { AnyTable } from "@infrastructor/lib/db/table.ts";
import type { Domain, DomainData } from "@infrastructor/shared/domains.ts";
import type { TransactionSql } from "postgres";
import type { RowBuffers } from "./row-buffers.ts";

/** A time-series table: append-only, its unique key includes the time, written with COPY. */
export interface TimeSeriesTableSpec {
  readonly name: string;
  /** In the order the COPY lines give them: the declaration's. */
  readonly columns: readonly string[];
  /**
   * A fixed age the declaration keeps rows for, when it is not one of the configurable ones
   * (RETENTION_RAW, 30 days by default). The retention job and the catalog test read the declaration.
   */
  readonly retentionMs?: number;
}

/** A declared time series as a writer uses it: its COPY columns and the line encoder built from them. */
export interface TimeSeriesTable<T extends AnyTable> extends TimeSeriesTableSpec {
  readonly line: CopyEncoder<T>;
}

export function timeSeriesTable<T extends AnyTable>(table: T): TimeSeriesTable<T> {
  if (table.kind !== "timeseries") throw new Error(`${table.name} is declared ${table.kind}, not timeseries`);
  const keep = table.retention?.keep;
  return {
    name: table.name,
    columns: table.columnNames,
    ...(typeof keep === "object" ? { retentionMs: keep.days * 86_400_000 } : {}),
    line: copyEncoder(table),
  };
}

/** The newest envelope of one device in a batch, for current-state tables. */
export interface StateItem<D extends Domain> {
  deviceId: number;
  collectedAt: Date;
  data: DomainData<D>;
}

/**
 * How one domain's data reaches the database; one per domain in collector/src/ingest/domains/.
 * Everything runs inside the batch's transaction, which may be retried (a redelivery, a deadlock),
 * so every write must be idempotent, and a replay of an older envelope after a newer one must
 * change nothing.
 */
export interface DomainWriter<D extends Domain = Domain> {
  readonly domain: D;
  /** Time-series tables the domain appends to (may be empty). */
  readonly tables: readonly TimeSeriesTableSpec[];
  /** Rows addRows will produce: the batch is bounded by rows. */
  rowCount(data: DomainData<D>): number;
  /** COPY lines for `tables`, in their column order. */
  addRows(out: RowBuffers, deviceId: number, collectedAt: Date, data: DomainData<D>): void;
  /**
   * Current-state tables (what a device has now: containers, snapshots, packages): replace a device's
   * rows with what its newest envelope in the batch says, unless the database holds a newer one.
   * Items come sorted by device id (one lock order for concurrent writers).
   */
  writeState?(tx: TransactionSql, items: StateItem<D>[]): Promise<void>;
}

export function copyStatement(table: TimeSeriesTableSpec, into: string = table.name): string {
  return `COPY ${into} (${table.columns.join(", ")}) FROM STDIN`;
}
