import type { AnyTable } from "./table.ts";

/**
 * SQL text for writing rows that travel as one JSON parameter (`json_to_recordset`), from a table's
 * declaration: the column list and the recordset's column types can then never disagree with the
 * table. Only declared names and types go into the text; the rows are always the parameter ($1).
 */
function writableColumns(table: AnyTable): string[] {
  return table.columnNames.filter((name) => table.columns[name]?.generated !== "always");
}

/** `device_id integer, name text, ...`: json_to_recordset's column definitions, in declared order. */
export function recordsetColumns(table: AnyTable): string {
  return writableColumns(table)
    .map((name) => `${name} ${table.columns[name]?.pgType}`)
    .join(", ");
}

/** INSERT every writable column from the JSON array in $1 (objects keyed by column name). */
export function insertFromJson(table: AnyTable): string {
  const columns = writableColumns(table).join(", ");
  return `INSERT INTO ${table.name} (${columns}) SELECT ${columns} FROM json_to_recordset($1::text::json) AS r(${recordsetColumns(table)})`;
}
