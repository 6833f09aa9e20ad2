import { readFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Reads shared/lib/db/database.ts as text: the tables of its `Database` interface, each with its
 * columns and their TypeScript types. Tests hold the migrated schema against it, so the interface
 * and the migrations cannot drift apart unnoticed.
 */
export type InterfaceTables = Map<string, Map<string, string>>;

export const DATABASE_TS: string = join(
  import.meta.dir,
  "..",
  "..",
  "..",
  "shared",
  "lib",
  "db",
  "database.ts",
);

export async function readDatabaseInterface(path: string = DATABASE_TS): Promise<InterfaceTables> {
  const text = await readFile(path, "utf8");
  const interfaces = new Map<string, Map<string, string>>();
  for (const match of text.matchAll(/export interface (\w+) \{([^}]*)\}/g)) {
    const [, name = "", body = ""] = match;
    const fields = new Map<string, string>();
    for (const line of body.split("\n")) {
      const field = /^\s*(\w+):\s*(.+);\s*$/.exec(line);
      if (field?.[1] !== undefined && field[2] !== undefined) fields.set(field[1], field[2]);
    }
    interfaces.set(name, fields);
  }
  const database = interfaces.get("Database");
  if (database === undefined) throw new Error(`no Database interface in ${path}`);
  const tables: InterfaceTables = new Map();
  for (const [table, interfaceName] of database) {
    const columns = interfaces.get(interfaceName);
    if (columns === undefined)
      throw new Error(`Database.${table} names ${interfaceName}, which is not declared`);
    tables.set(table, columns);
  }
  return tables;
}

/** The PostgreSQL types (information_schema data_type) a column of this TypeScript type may have. */
export function pgTypesFor(tsType: string): string[] {
  const base = tsType.replace(/\s*\|\s*null$/, "");
  if (base === "Int8") return ["bigint"];
  if (["Timestamp", "Date", "Generated<Date>"].includes(base)) return ["timestamp with time zone"];
  if (base === "number" || base === "Generated<number>")
    return ["integer", "bigint", "real", "double precision"];
  if (base === "string" || /^"[^"]*"(\s*\|\s*"[^"]*")*$/.test(base)) return ["text"];
  if (base.startsWith("ColumnType<string[]")) return ["ARRAY"];
  if (base === "unknown" || base === "JsonObject") return ["jsonb"];
  if (base === "Uint8Array") return ["bytea"];
  if (base === "boolean" || base === "GeneratedAlways<boolean>") return ["boolean"];
  throw new Error(`no PostgreSQL type known for the TypeScript type ${tsType}`);
}

export function isNullable(tsType: string): boolean {
  return /\|\s*null$/.test(tsType);
}
