import type { AnyTable } from "@infrastructor/lib/db/table.ts";
import type { Sql } from "postgres";

/**
 * A table reduced to what a declaration promises, in a form `toEqual` compares and prints well: one
 * string per column in order ("time timestamp with time zone not null"), the primary key, the other
 * unique keys. Built once from a declaration and once from the migrated catalog.
 */
export interface TableShape {
  name: string;
  columns: string[];
  primaryKey: string[];
  unique: string[];
}

export function declaredShape(table: AnyTable): TableShape {
  return {
    name: table.name,
    columns: table.columnNames.map((name) => {
      const c = table.columns[name];
      if (c === undefined) throw new Error(`${table.name}.${name}: no column`);
      return columnLine(name, c.pgType, !c.isNullable, c.generated === "always");
    }),
    primaryKey: [...table.primaryKey],
    unique: table.unique.map((key) => key.join(", ")).sort(),
  };
}

export interface CatalogTable {
  shape: TableShape;
  /** Columns with a DEFAULT or an identity: the ones a declaration may mark withDefault(). */
  defaulted: string[];
}

/** Every table and view of the public schema, by name. */
export async function catalogTables(sql: Sql): Promise<Map<string, CatalogTable>> {
  const columns = await sql<
    { rel: string; name: string; type: string; not_null: boolean; defaulted: boolean; generated: boolean }[]
  >`
    SELECT c.relname AS rel, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
      a.attnotnull AS not_null, (a.atthasdef OR a.attidentity <> '') AS defaulted,
      a.attgenerated = 's' AS generated
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
      AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY c.relname, a.attnum`;
  // Unique indexes with their columns in index order; partial ones (WHERE ...) are not keys of the table.
  const keys = await sql<{ rel: string; primary: boolean; columns: string[] }[]>`
    SELECT c.relname AS rel, i.indisprimary AS primary,
      array(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(attnum, n)
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.n)::text[] AS columns
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
    WHERE c.relnamespace = 'public'::regnamespace AND i.indisunique AND i.indpred IS NULL
    ORDER BY c.relname, i.indexrelid::regclass::text`;
  const tables = new Map<string, CatalogTable>();
  for (const col of columns) {
    let t = tables.get(col.rel);
    if (t === undefined) {
      t = { shape: { name: col.rel, columns: [], primaryKey: [], unique: [] }, defaulted: [] };
      tables.set(col.rel, t);
    }
    t.shape.columns.push(columnLine(col.name, col.type, col.not_null, col.generated));
    if (col.defaulted) t.defaulted.push(col.name);
  }
  for (const key of keys) {
    const t = tables.get(key.rel);
    if (t === undefined) continue;
    if (key.primary) t.shape.primaryKey = key.columns;
    else t.shape.unique.push(key.columns.join(", "));
  }
  for (const t of tables.values()) t.shape.unique.sort();
  return tables;
}

function columnLine(name: string, type: string, notNull: boolean, generated: boolean): string {
  return `${name} ${type}${notNull ? " not null" : ""}${generated ? " generated" : ""}`;
}
