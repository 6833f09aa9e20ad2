import { join } from "node:path";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { ReservedSql, Sql } from "postgres";
import { sessionEnded, toDbError } from "./db-error.ts";
import { type Flavor, type FlavorOption, resolveFlavor } from "./flavor.ts";
import { loadMigrations, type MigrationFile } from "./migration-files.ts";
import {
  type AppliedMigration,
  ensureMigrationLog,
  readApplied,
  recordApplied,
  recordedFlavor,
} from "./migration-log.ts";
import { assertTimescaledbReady, PRELOAD_ADVICE } from "./timescaledb-ready.ts";

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
  const state: { flavor?: Flavor } = {};
  let conn: ReservedSql;
  try {
    // One connection for everything: the advisory lock belongs to the session that took it.
    conn = await sql.reserve();
  } catch (err) {
    return { error: toDbError(err, "cannot connect to PostgreSQL"), results };
  }
  let failure: unknown;
  try {
    // A migration may rewrite a big table, and a collector may wait here for another's: the pool's
    // statement_timeout is for the app's work, not this session's. Reset before it goes back.
    await conn`SET statement_timeout = 0`;
    await lock(conn);
    await migrateLocked(conn, dir, options.flavor ?? "auto", results, state);
  } catch (err) {
    failure = err;
  }
  if (failure !== undefined && sessionEnded(failure)) {
    // Not one more query on it, not even released: postgres.js 3.4.9 has already counted the connection
    // closed, and release() would put the dead connection back among the open ones; a query on it then
    // throws a TypeError from its write timer (socket is null) and never settles. That was the 100 % CPU
    // hang of `bun run migrate` when the server ended the session (TimescaleDB not preloaded);
    // porsager/postgres#1208. The pool reconnects that connection for its next query.
    return { error: lostSession(failure, state.flavor), results, flavor: state.flavor };
  }
  // A session that died has released its lock with it; nothing is left to undo then.
  await conn`SELECT pg_advisory_unlock(${MIGRATION_LOCK}::bigint)`.catch(() => undefined);
  await conn`RESET statement_timeout`.catch(() => undefined);
  conn.release();
  if (failure !== undefined)
    return { error: toDbError(failure, "migrating failed"), results, flavor: state.flavor };
  return { results, flavor: state.flavor };
}

async function migrateLocked(
  conn: ReservedSql,
  dir: string,
  requested: FlavorOption,
  results: MigrationResult[],
  state: { flavor?: Flavor },
): Promise<void> {
  await ensureMigrationLog(conn);
  const applied = await readApplied(conn);
  const flavor = await resolveFlavor(conn, requested, recordedFlavor(applied));
  state.flavor = flavor;
  const files = await loadMigrations(dir, flavor);
  checkApplied(applied, files, dir);
  if (flavor === "timescaledb") {
    // Before the first statement that would load it: not preloaded, the server ends the session (FATAL);
    // a version with the silent row loss must not take a single row.
    await assertTimescaledbReady(conn);
    await conn`CREATE EXTENSION IF NOT EXISTS timescaledb`;
  }
  const done = new Set(applied.map((m) => m.id));
  for (const file of files) {
    if (!done.has(file.id)) await applyOne(conn, file, flavor);
    results.push({ id: file.id, flavor, status: done.has(file.id) ? "skipped" : "applied" });
  }
}

/** The server ended the session: say so, and on TimescaleDB name the usual reason (its FATAL is not in the error). */
function lostSession(err: unknown, flavor: Flavor | undefined): AppError {
  const base = toDbError(err, "connection lost");
  const reason = err instanceof AppError ? err.message : base.message;
  const advice =
    flavor === "timescaledb"
      ? `; if the server's log says extension "timescaledb" must be preloaded: ${PRELOAD_ADVICE}`
      : "";
  return new AppError(
    ErrorCode.DB_UNAVAILABLE,
    `the server ended the migration session (its log says why): ${reason}${advice}`,
    { cause: err, ...(base.details === undefined ? {} : { details: base.details }) },
  );
}

// An arbitrary constant shared by every runner of this schema ("infrastructor migrations").
const MIGRATION_LOCK = "7215386410596226001";

async function lock(conn: ReservedSql): Promise<void> {
  await conn`SELECT pg_advisory_lock(${MIGRATION_LOCK}::bigint)`;
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
    // If the session ended, the server has rolled back already, and the connection takes no more queries.
    if (!sessionEnded(err)) await conn`ROLLBACK`.catch(() => undefined);
    throw toDbError(err, `migration ${file.id} failed`, { id: file.id, fileName: file.fileName });
  }
}

function invalid(message: string, details: Record<string, unknown>): AppError {
  return new AppError(ErrorCode.CONFIG_INVALID, message, { details });
}
