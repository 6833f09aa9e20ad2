import type { ColumnType, GeneratedAlways, InsertType, SelectType, UpdateType } from "kysely";

/**
 * One column of a table declaration (table.ts): its PostgreSQL type as the catalog names it
 * (format_type), whether it takes NULL, whether the database fills it, and, as a type only, what
 * Kysely reads and writes. The catalog test (sql/src/table-declarations.test.ts) holds every
 * declaration against the migrated database, so a declaration cannot drift from its migration.
 */
export type PgType =
  | "integer"
  | "bigint"
  | "real"
  | "double precision"
  | "text"
  | "text[]"
  | "boolean"
  | "jsonb"
  | "bytea"
  | "timestamp with time zone"
  | "timestamp with time zone[]";

/** "default": the database fills it when an INSERT leaves it out; "always": it is computed, never written. */
export type Generation = "no" | "default" | "always";

/** A timestamptz as Kysely sees it: read as a Date, written as a Date or an ISO string. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** postgres.js returns int8 as string unless told otherwise; we read bigint columns as numbers. */
export type Int8 = ColumnType<number, number | bigint | string, number | bigint | string>;
/** A text[] column: an array both ways. */
export type TextArray = ColumnType<string[], string[], string[]>;
/** A timestamptz[] column: read as Dates, written as Dates or ISO strings. */
export type TimestampArray = ColumnType<Date[], (Date | string)[], (Date | string)[]>;

/** `T` with the insert made optional: the database's default fills it (Kysely's Generated, for any T). */
export type Defaulted<T> = ColumnType<SelectType<T>, InsertType<T> | undefined, UpdateType<T>>;

export class Column<T> {
  /** The TypeScript type Kysely sees for this column; a type only, never set at run time. */
  declare readonly type: T;

  constructor(
    readonly pgType: PgType,
    readonly isNullable: boolean = false,
    readonly generated: Generation = "no",
  ) {}

  nullable(): Column<T | null> {
    return new Column<T | null>(this.pgType, true, this.generated);
  }

  /** The migration gives it a DEFAULT (or it is an identity column): inserts may leave it out. */
  withDefault(): Column<Defaulted<T>> {
    return new Column<Defaulted<T>>(this.pgType, this.isNullable, "default");
  }

  /** GENERATED ALWAYS AS (...) STORED: read only. */
  generatedAlways(): Column<GeneratedAlways<SelectType<T>>> {
    return new Column<GeneratedAlways<SelectType<T>>>(this.pgType, this.isNullable, "always");
  }
}

// The builders, named after the PostgreSQL type. The type parameter narrows what TypeScript sees
// (a text column holding one of a few words, an int8 read as a plain number); the catalog type stays.
// NoInfer: a builder inside a declaration must take its default, not `unknown` from the context.
export const int4 = <T extends number = number>(): Column<NoInfer<T>> => new Column<T>("integer");
export const int8 = <T = Int8>(): Column<NoInfer<T>> => new Column<T>("bigint");
export const float4 = (): Column<number> => new Column<number>("real");
export const float8 = (): Column<number> => new Column<number>("double precision");
export const text = <T extends string = string>(): Column<NoInfer<T>> => new Column<T>("text");
export const textArray = (): Column<TextArray> => new Column<TextArray>("text[]");
export const timestamptzArray = (): Column<TimestampArray> =>
  new Column<TimestampArray>("timestamp with time zone[]");
export const bool = (): Column<boolean> => new Column<boolean>("boolean");
export const jsonb = <T = unknown>(): Column<NoInfer<T>> => new Column<T>("jsonb");
export const bytea = (): Column<Uint8Array> => new Column<Uint8Array>("bytea");
export const timestamptz = <T = Timestamp>(): Column<NoInfer<T>> => new Column<T>("timestamp with time zone");
