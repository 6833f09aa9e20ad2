import type { Column } from "./column.ts";

/**
 * A table declared once: name, columns in the migration's order, key and retention. From it come the
 * Kysely `Database` type (database.ts), the COPY column list and the order of each COPY line
 * (copy-encoder.ts), and what the retention job prunes. Migrations stay hand-written; the catalog test
 * holds each declaration against the migrated database (names, order, types, nullability, keys).
 */
export type Columns = Record<string, Column<unknown>>;

/**
 * - timeseries: append-only rows keyed by time, written with COPY; a hypertable on TimescaleDB.
 * - rollup: an aggregate of a time series (a continuous aggregate on TimescaleDB, a table otherwise).
 * - state: what a device has now, replaced by each newer envelope.
 * - record: rows the programs keep for themselves (devices, tokens, audit, rejects).
 */
export type TableKind = "timeseries" | "rollup" | "state" | "record";

/**
 * How long rows are kept: one of the collector's configurable ages (RETENTION_RAW, RETENTION_HOURLY,
 * RETENTION_DAILY; the rejects' own age), or a fixed number of days the TimescaleDB migration repeats.
 */
export type Keep = "raw" | "hourly" | "daily" | "rejects" | { days: number };

export interface Retention<K extends string = string> {
  keep: Keep;
  /** The time column rows age by. */
  by: K;
}

export interface TableOptions<C extends Columns> {
  kind: TableKind;
  /** The primary key's columns, in the index's order. */
  primaryKey: readonly (keyof C & string)[];
  /** Other unique constraints (not partial indexes), each in its order. */
  unique?: readonly (readonly (keyof C & string)[])[];
  /** Absent: rows stay until the code that writes them removes them. */
  retention?: Retention<keyof C & string>;
}

/** Any declaration, whatever its columns (Table<N, C> is invariant in C: its key lists name C's columns). */
export interface AnyTable {
  readonly name: string;
  readonly columns: Columns;
  readonly columnNames: readonly string[];
  readonly kind: TableKind;
  readonly primaryKey: readonly string[];
  readonly unique: readonly (readonly string[])[];
  readonly retention: Retention | null;
}

export interface Table<N extends string, C extends Columns> extends AnyTable {
  readonly name: N;
  readonly columns: C;
  /** The column names in declared order (the migration's order, the COPY order). */
  readonly columnNames: readonly (keyof C & string)[];
  readonly kind: TableKind;
  readonly primaryKey: readonly (keyof C & string)[];
  readonly unique: readonly (readonly (keyof C & string)[])[];
  readonly retention: Retention<keyof C & string> | null;
}

export function table<N extends string, C extends Columns>(
  name: N,
  columns: C,
  options: TableOptions<C>,
): Table<N, C> {
  return {
    name,
    columns,
    columnNames: Object.keys(columns) as (keyof C & string)[],
    kind: options.kind,
    primaryKey: options.primaryKey,
    unique: options.unique ?? [],
    retention: options.retention ?? null,
  };
}

/** A declaration's row as Kysely sees it (select, insert and update types per column). */
export type TableType<T extends AnyTable> = { [K in keyof T["columns"]]: T["columns"][K]["type"] };

/** Kysely's database type for a list of declarations: each table under its name. */
export type TablesOf<L extends readonly AnyTable[]> = { [T in L[number] as T["name"]]: TableType<T> };
