import type { InsertType } from "kysely";
import type { Column } from "./column.ts";
import { copyText } from "./copy-text.ts";
import type { AnyTable } from "./table.ts";

/**
 * COPY text lines from row objects, in the declaration's column order. A writer names each value by
 * its column (`{ read_errors: ..., write_errors: ... }`) and never orders them by hand: two columns of
 * one type swapped in a template would still give the right number of fields, and no test counting
 * fields would notice. Built once per table: an array of per-column encoders, and one function that
 * calls them in order.
 */
type Value<T> = null extends T ? InsertType<T> | undefined : InsertType<T>;

/** One row as the writer gives it: every column, by name (nullable ones may be undefined). */
export type CopyRow<T extends AnyTable> = { [K in keyof T["columns"]]: Value<T["columns"][K]["type"]> };

export type CopyEncoder<T extends AnyTable> = (row: CopyRow<T>) => string;

/** The helpers a generated line function may call, passed in as its one argument. */
const helpers = {
  text: copyText,
  /** A timestamptz: an ISO string as it is (escaped: it may come off the wire), a Date in ISO form. */
  time: (v: string | Date): string => (typeof v === "string" ? copyText(v) : v.toISOString()),
  json: (v: unknown): string => copyText(JSON.stringify(v)),
};

/** The expression that encodes `value` (an accessor like `r.pool`) for this column. */
function valueExpression(table: string, name: string, column: Column<unknown>, value: string): string {
  if (column.generated === "always") throw new Error(`${table}.${name}: a generated column is never written`);
  const encoded = ((): string => {
    switch (column.pgType) {
      case "integer":
      case "bigint":
      case "real":
      case "double precision":
        // Finite by contract (the shared schemas refuse NaN and Infinity): a number prints as COPY reads it.
        return value;
      case "text":
        return `h.text(${value})`;
      case "timestamp with time zone":
        return `h.time(${value})`;
      case "boolean":
        return `(${value} ? "t" : "f")`;
      case "jsonb":
        return `h.json(${value})`;
      default:
        // Arrays and bytea have COPY forms of their own; no time series has one yet.
        throw new Error(`${table}.${name}: no COPY encoding for ${column.pgType}`);
    }
  })();
  // A NOT NULL column given null fails in PostgreSQL with the column's name, clearer than anything here.
  return column.isNullable ? `(${value} == null ? "\\\\N" : ${encoded})` : encoded;
}

export function copyEncoder<T extends AnyTable>(table: T): CopyEncoder<T> {
  const parts = table.columnNames.map((name) => {
    const column = table.columns[name];
    if (column === undefined) throw new Error(`${table.name}.${name}: no column`);
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`${table.name}.${name}: not a plain identifier`);
    return valueExpression(table.name, name, column, `r.${name}`);
  });
  // The line function is generated once per table, as `"" + h.time(r.time) + "\t" + r.device_id + ...`,
  // so a row costs what the hand-written templates it replaces cost: a loop reading `row[name]` and
  // calling one encoder per column made system rows (the ingest's bulk) about twice as dear to encode.
  // Only declared identifiers and the fixed expressions above go into its text; values never do.
  const body = `"" + ${parts.join(' + "\\t" + ')} + "\\n"`;
  return new Function("h", `return function copyLine(r) { return ${body}; }`)(helpers);
}
