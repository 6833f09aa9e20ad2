import type { Sql } from "postgres";

/** Everything a migration could change in the public schema, as comparable JSON. */
export async function catalogSnapshot(sql: Sql): Promise<string> {
  const columns = await sql`
    SELECT table_name, column_name, ordinal_position, data_type, is_nullable, column_default
    FROM information_schema.columns WHERE table_schema = 'public'
    ORDER BY table_name, ordinal_position
  `;
  const relations = await sql`
    SELECT c.relname, c.relkind FROM pg_class c
    WHERE c.relnamespace = 'public'::regnamespace ORDER BY c.relname
  `;
  const indexes =
    await sql`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`;
  const constraints = await sql`
    SELECT conrelid::regclass::text AS rel, conname, pg_get_constraintdef(oid) AS def
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2
  `;
  const functions = await sql`
    SELECT proname, pg_get_functiondef(oid) AS def FROM pg_proc
    WHERE pronamespace = 'public'::regnamespace ORDER BY 1, 2
  `;
  const extensions = await sql`SELECT extname, extversion FROM pg_extension ORDER BY 1`;
  const migrations = await sql`SELECT id, flavor, checksum, applied_at FROM schema_migrations ORDER BY id`;
  return JSON.stringify({ columns, relations, indexes, constraints, functions, extensions, migrations });
}
