import type { Domain, DomainData } from "@infrastructor/shared/domains.ts";
import type { TransactionSql } from "postgres";
import type { RowBuffers } from "./row-buffers.ts";

/** A time-series table: append-only, its unique key includes the time, written with COPY. */
export interface TimeSeriesTableSpec {
  readonly name: string;
  /** In the order the COPY lines give them. */
  readonly columns: readonly string[];
  /**
   * How long rows are kept when it is not the raw default (RETENTION_RAW, 30 days): on plain
   * PostgreSQL the collector deletes older rows; the TimescaleDB migration must add the same
   * retention policy.
   */
  readonly retentionMs?: number;
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
