import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { Sql } from "postgres";

/** Which schema a database carries: TimescaleDB hypertables and policies, or plain tables kept by the collector. */
export type Flavor = "timescaledb" | "postgres";
export type FlavorOption = Flavor | "auto";

export const FLAVORS: readonly Flavor[] = ["timescaledb", "postgres"];

export function isFlavorOption(value: string): value is FlavorOption {
  return value === "auto" || (FLAVORS as readonly string[]).includes(value);
}

/** Whether the server could load TimescaleDB: its control file is installed (whether or not created here). */
export async function timescaledbAvailable(sql: Sql): Promise<boolean> {
  const rows = await sql`SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'`;
  return rows.length > 0;
}

/**
 * The flavor to migrate as. A database keeps the flavor of its first migration: once recorded, "auto"
 * returns it, and asking for the other one is an error (its tables are hypertables or they are not).
 */
export async function resolveFlavor(
  sql: Sql,
  requested: FlavorOption,
  recorded: Flavor | undefined,
): Promise<Flavor> {
  if (recorded !== undefined) {
    if (requested !== "auto" && requested !== recorded) {
      throw new AppError(
        ErrorCode.CONFIG_INVALID,
        `this database was migrated as ${recorded}; its flavor cannot change to ${requested}`,
        { details: { recorded, requested } },
      );
    }
    return recorded;
  }
  const available = await timescaledbAvailable(sql);
  if (requested === "auto") return available ? "timescaledb" : "postgres";
  if (requested === "timescaledb" && !available) {
    throw new AppError(
      ErrorCode.CONFIG_INVALID,
      "flavor timescaledb was requested but this server does not offer the timescaledb extension",
      { details: { requested } },
    );
  }
  return requested;
}
