import { z } from "zod";
import { type DbLimits, DbLimitsEnvSchema, dbLimitsFromEnv } from "./db-limits.ts";

/** Where the database is and how long its pooled work may run: what every program that opens a pool reads. */
export interface DatabaseSettings {
  url: string;
  /** Acquire, statement and idle-in-transaction timeouts of the pool (DATABASE_*_TIMEOUT). */
  limits: DbLimits;
}

/** DATABASE_URL alone, so a program that lists its variables in its own order can place it first. */
export const DatabaseUrlSchema = z
  .string({ error: "is not set: the PostgreSQL URL the collector writes to (postgres://...)" })
  .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL");

/** The database's environment variables; a program's config spreads `.shape` into its own schema. */
export const DatabaseEnvSchema = z.object({
  DATABASE_URL: DatabaseUrlSchema,
  ...DbLimitsEnvSchema.shape,
});

export function databaseSettingsFromEnv(e: z.infer<typeof DatabaseEnvSchema>): DatabaseSettings {
  return { url: e.DATABASE_URL, limits: dbLimitsFromEnv(e) };
}
