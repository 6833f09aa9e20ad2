import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { Sql } from "postgres";
import type { Flavor } from "./flavor.ts";

/**
 * schema_migrations: one row per applied migration, with the flavor the database was given and the
 * checksum of the file that ran. Every row carries the same flavor: it is chosen once, at the first
 * migration, and the rows are how later runs know it.
 */
export interface AppliedMigration {
  id: string;
  flavor: Flavor;
  checksum: string;
  appliedAt: Date;
}

export async function ensureMigrationLog(sql: Sql): Promise<void> {
  await sql`
    CREATE TABLE IF NOT EXISTS schema_migrations (
      id         text PRIMARY KEY,
      flavor     text NOT NULL CHECK (flavor IN ('timescaledb', 'postgres')),
      checksum   text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),
      applied_at timestamptz NOT NULL DEFAULT now()
    )
  `;
}

export async function readApplied(sql: Sql): Promise<AppliedMigration[]> {
  const rows = await sql<{ id: string; flavor: Flavor; checksum: string; applied_at: Date }[]>`
    SELECT id, flavor, checksum, applied_at FROM schema_migrations ORDER BY id
  `;
  return rows.map((r) => ({ id: r.id, flavor: r.flavor, checksum: r.checksum, appliedAt: r.applied_at }));
}

export async function recordApplied(sql: Sql, id: string, flavor: Flavor, checksum: string): Promise<void> {
  await sql`INSERT INTO schema_migrations (id, flavor, checksum) VALUES (${id}, ${flavor}, ${checksum})`;
}

/** The flavor the database was migrated as, or undefined before its first migration. */
export function recordedFlavor(applied: AppliedMigration[]): Flavor | undefined {
  const flavors = [...new Set(applied.map((m) => m.flavor))];
  if (flavors.length > 1) {
    throw new AppError(ErrorCode.CONFIG_INVALID, `schema_migrations mixes flavors (${flavors.join(", ")})`, {
      details: { flavors },
    });
  }
  return flavors[0];
}
