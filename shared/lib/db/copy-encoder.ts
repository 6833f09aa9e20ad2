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

type Encode = (value: unknown) => string;

const NULL = "\\N";

/** A timestamptz: an ISO string as it is (escaped: it may come off the wire), a Date in ISO form. */
const timestamp: Encode = (v) => (typeof v === "string" ? copyText(v) : (v as Date).toISOString());
const number: Encode = (v) => `${v as number}`;
const textValue: Encode = (v) => copyText(v as string);
const boolean: Encode = (v) => (v ? "t" : "f");
const json: Encode = (v) => copyText(JSON.stringify(v));

function valueEncoder(table: string, name: string, column: Column<unknown>): Encode {
  const encode = ((): Encode => {
    switch (column.pgType) {
      case "integer":
      case "bigint":
      case "real":
      case "double precision":
        return number;
      case "text":
        return textValue;
      case "timestamp with time zone":
        return timestamp;
      case "boolean":
        return boolean;
      case "jsonb":
        return json;
      default:
        // Arrays and bytea have COPY forms of their own; no time series has one yet.
        throw new Error(`${table}.${name}: no COPY encoding for ${column.pgType}`);
    }
  })();
  if (column.generated === "always") throw new Error(`${table}.${name}: a generated column is never written`);
  // A NOT NULL column given null fails in PostgreSQL with the column's name, which is clearer than anything here.
  return column.isNullable ? (v) => (v === null || v === undefined ? NULL : encode(v)) : encode;
}

export function copyEncoder<T extends AnyTable>(table: T): CopyEncoder<T> {
  const names = table.columnNames;
  const encoders = names.map((name) => {
    const column = table.columns[name];
    if (column === undefined) throw new Error(`${table.name}.${name}: no column`);
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`${table.name}.${name}: not a plain identifier`);
    return valueEncoder(table.name, name, column);
  });
  // The line function is generated once per table, as `e[0](r.time) + "\t" + e[1](r.device_id) + ...`:
  // a loop over the names reading `row[name]` made system rows (the ingest's bulk) cost twice as much
  // to encode as the hand-written templates did (1.2 against 0.6 µs a row, min of 12 runs), the
  // generated form about the same. Only checked identifiers go into its text; values never do.
  const body = names.map((name, i) => `e[${i}](r.${name})`).join(' + "\\t" + ');
  return new Function("e", `return function copyLine(r) { return ${body} + "\\n"; }`)(encoders);
}
