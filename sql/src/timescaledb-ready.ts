import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { Sql } from "postgres";
import { losesRowsOnConflict, newestFixed, rowLossRefusal } from "./timescaledb-version.ts";

/**
 * What to set when TimescaleDB is installed but not preloaded. Named once: the migrator and the collector
 * print it, and the docs quote it.
 */
export const PRELOAD_ADVICE =
  "set shared_preload_libraries = 'timescaledb' in postgresql.conf (or the server's -c option) and restart PostgreSQL";

/**
 * TimescaleDB's loader defines this setting in every session of a server that preloads it (its _PG_init,
 * run only from shared_preload_libraries), and nothing else does. Reading it needs no privilege, unlike
 * shared_preload_libraries itself (readable by superusers and pg_read_all_settings only).
 */
const LOADER_SETTING = "timescaledb.disable_load";

export interface TimescaledbFacts {
  /** The loader's setting in this session: null when the loader was not preloaded. */
  loader: string | null;
  /** pg_extension.extversion: the version created in this database, null when not created yet. */
  created: string | null;
  /** pg_available_extensions.default_version: what CREATE EXTENSION would install. */
  defaultVersion: string | null;
  /** Every version the server's installed package offers. */
  available: string[];
}

export async function readTimescaledbFacts(sql: Sql): Promise<TimescaledbFacts> {
  const [row] = await sql<
    { loader: string | null; created: string | null; default_version: string | null }[]
  >`
    SELECT current_setting(${LOADER_SETTING}, true) AS loader,
           (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb') AS created,
           (SELECT default_version FROM pg_available_extensions WHERE name = 'timescaledb') AS default_version`;
  const versions = await sql<{ version: string }[]>`
    SELECT version FROM pg_available_extension_versions WHERE name = 'timescaledb'`;
  return {
    loader: row?.loader ?? null,
    created: row?.created ?? null,
    defaultVersion: row?.default_version ?? null,
    available: versions.map((v) => v.version),
  };
}

/**
 * Refuses a TimescaleDB the schema must not run on: one that is not preloaded (the server would end
 * the session with `FATAL: extension "timescaledb" must be preloaded` at the first use) and one with
 * the silent row loss of #7672. Pure: the facts come from readTimescaledbFacts.
 */
export function timescaledbRefusal(facts: TimescaledbFacts): AppError | null {
  if (facts.loader === null || facts.loader === "") {
    return new AppError(
      ErrorCode.CONFIG_INVALID,
      `TimescaleDB is installed on this PostgreSQL server but not preloaded (its first use would end the session with FATAL: extension "timescaledb" must be preloaded): ${PRELOAD_ADVICE}`,
      { details: { setting: "shared_preload_libraries", value: "timescaledb" } },
    );
  }
  const version = facts.created ?? facts.defaultVersion;
  if (version === null || !losesRowsOnConflict(version)) return null;
  const upgradable = facts.created !== null ? newestFixed(facts.available) : null;
  return new AppError(
    ErrorCode.CONFIG_INVALID,
    rowLossRefusal(version, facts.created !== null ? "created" : "default", upgradable),
    { details: { timescaledb_version: version, issue: "timescale/timescaledb#7672" } },
  );
}

/** Reads the facts and throws the refusal, if any. */
export async function assertTimescaledbReady(sql: Sql): Promise<void> {
  const refusal = timescaledbRefusal(await readTimescaledbFacts(sql));
  if (refusal !== null) throw refusal;
}
