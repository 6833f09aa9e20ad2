import { join } from "node:path";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { ReservedSql, Sql } from "postgres";
import { toDbError } from "./db-error.ts";
import { type Flavor, type FlavorOption, resolveFlavor } from "./flavor.ts";
import { loadMigrations, type MigrationFile } from "./migration-files.ts";
import {
  type AppliedMigration,
  ensureMigrationLog,
  readApplied,
  recordApplied,
  recordedFlavor,
} from "./migration-log.ts";

export interface MigrationResult {
  id: string;
  flavor: Flavor;
  status: "applied" | "skipped";
}

export interface MigrateOptions {
  /** Defaults to sql/migrations beside this file. */
  dir?: string;
  /** Defaults to "auto": timescaledb when the server offers the extension, else postgres. */
  flavor?: FlavorOption;
}

/** Kysely-style: never throws; `error` is set when a step failed, `results` tells how far it got. */
export interface MigrateOutcome {
  error?: AppError;
  results: MigrationResult[];
  /** The database's flavor, once it could be determined. */
  flavor?: Flavor;
}

export const MIGRATIONS_DIR: string = join(import.meta.dir, "..", "migrations");

/**
 * Applies every pending migration in order, each in its own transaction, and records it in
 * schema_migrations. Before applying anything it checks that every recorded migration still has its
 * file, unchanged. Runs hold a session advisory lock, so collectors starting together take turns and
 * the later ones find nothing left to do.
 */
export async function runMigrations(sql: Sql, options: MigrateOptions = {}): Promise<MigrateOutcome> {
  const dir = options.dir ?? MIGRATIONS_DIR;
  const results: MigrationResult[] = [];
  let flavor: Flavor | undefined;
  let conn: ReservedSql;
  try {
    // One connection for everything: the advisory lock belongs to the session that took it.
    conn = await sql.reserve();
  } catch (err) {
    return { error: toDbError(err, "cannot connect to PostgreSQL"), results };
  }
  try {
    // A migration may rewrite a big table, and a collector may wait here for another's: the pool's
    // statement_timeout is for the app's work, not this session's. Reset before it goes back.
    await conn`SET statement_timeout = 0`;
    await lock(conn);
    try {
      await ensureMigrationLog(conn);
      const applied = await readApplied(conn);
      flavor = await resolveFlavor(conn, options.flavor ?? "auto", recordedFlavor(applied));
      const files = await loadMigrations(dir, flavor);
      checkApplied(applied, files, dir);
      if (flavor === "timescaledb") await conn`CREATE EXTENSION IF NOT EXISTS timescaledb`;
      const done = new Set(applied.map((m) => m.id));
      for (const file of files) {
        if (!done.has(file.id)) await applyOne(conn, file, flavor);
        results.push({ id: file.id, flavor, status: done.has(file.id) ? "skipped" : "applied" });
      }
    } finally {
      await unlock(conn);
    }
    return { results, flavor };
  } catch (err) {
    return { error: toDbError(err, "migrating failed"), results, flavor };
  } finally {
    await conn`RESET statement_timeout`.catch(() => undefined);
    conn.release();
  }
}

// An arbitrary constant shared by every runner of this schema ("infrastructor migrations").
async function lock(conn: ReservedSql): Promise<void> {
  await conn`SELECT pg_advisory_lock(7215386410596226001)`;
}

async function unlock(conn: ReservedSql): Promise<void> {
  // A session that died has released its lock with it; nothing is left to undo then.
  await conn`SELECT pg_advisory_unlock(7215386410596226001)`.catch(() => undefined);
}

/** Refuses a history the files no longer describe: a vanished or edited migration, or one slipped in before. */
function checkApplied(applied: AppliedMigration[], files: MigrationFile[], dir: string): void {
  const byId = new Map(files.map((f) => [f.id, f]));
  for (const m of applied) {
    const file = byId.get(m.id);
    if (file === undefined) {
      throw invalid(`migration ${m.id} was applied but its file is missing from ${dir}`, { id: m.id });
    }
    if (file.checksum !== m.checksum) {
      throw invalid(
        `migration ${m.id} was edited after it was applied (${file.fileName} no longer matches its recorded checksum); migrations are append-only, add a new one instead`,
        { id: m.id, fileName: file.fileName, recorded: m.checksum, actual: file.checksum },
      );
    }
  }
  const last = applied.at(-1)?.id;
  const late = files.find((f) => last !== undefined && f.id < last && !applied.some((m) => m.id === f.id));
  if (late !== undefined && last !== undefined) {
    throw invalid(`migration ${late.id} sorts before ${last}, which is already applied; give it a later id`, {
      id: late.id,
      lastApplied: last,
    });
  }
}

async function applyOne(conn: ReservedSql, file: MigrationFile, flavor: Flavor): Promise<void> {
  await conn`BEGIN`;
  try {
    // unsafe: the file's own text, several statements, no parameters (simple query protocol).
    await conn.unsafe(file.text);
    await recordApplied(conn, file.id, flavor, file.checksum);
    await conn`COMMIT`;
  } catch (err) {
    // If the connection broke, the server has rolled back already.
    await conn`ROLLBACK`.catch(() => undefined);
    throw toDbError(err, `migration ${file.id} failed`, { id: file.id, fileName: file.fileName });
  }
}

function invalid(message: string, details: Record<string, unknown>): AppError {
  return new AppError(ErrorCode.CONFIG_INVALID, message, { details });
}
