import { PLAIN_TABLES, RETENTION_TABLES } from "@infrastructor/lib/db/retention.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { Sql } from "postgres";
import { toDbError } from "../../../sql/src/db-error.ts";
import type { Flavor } from "../../../sql/src/flavor.ts";
import { enforceRetention, type RetentionOptions } from "./enforce-retention.ts";
import { refreshRollups } from "./refresh-rollups.ts";

export type MaintenanceLogLevel = "debug" | "info" | "error";
export type MaintenanceLog = (
  level: MaintenanceLogLevel,
  message: string,
  fields?: Record<string, unknown>,
) => void;

export interface MaintenanceOptions {
  sql: Sql;
  flavor: Flavor;
  /** Where outcomes and failures go; failures never throw. Defaults to errors on stderr. */
  log?: MaintenanceLog;
  /** How often dirty rollups are recomputed. Default 1 minute. */
  refreshIntervalMs?: number;
  /** How often retention runs (first run at start). Default 1 hour. */
  retentionIntervalMs?: number;
  /** Recomputed at start, for writes whose refresh a restart cut off. Default 3 hours. */
  startupLookbackMs?: number;
  /**
   * Late data older than this is not folded into the rollups, as on TimescaleDB, whose refresh
   * policies reach back the same 7 days (and raw retention must never fall inside the window).
   */
  maxLatenessMs?: number;
  /** Refreshes reach this far past now: agent clocks may run ahead (the ingest accepts 5 minutes). */
  futureSlackMs?: number;
  retention?: Partial<Omit<RetentionOptions, "tables">>;
}

export interface Maintenance {
  /** The ingest wrote samples from `from` on: their hourly and daily rollups need recomputing. */
  markDirty(from: Date): void;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * The collector's maintenance loop. On plain PostgreSQL it keeps the rollups and the retention;
 * on TimescaleDB the policies do both and only the plain tables (PLAIN_TABLES) are pruned.
 * Runs never overlap: the next one is scheduled when the previous one has finished.
 */
export function startMaintenance(options: MaintenanceOptions): Maintenance {
  const { sql, flavor } = options;
  const refreshIntervalMs = positive(options.refreshIntervalMs ?? MINUTE_MS, "refreshIntervalMs");
  const retentionIntervalMs = positive(options.retentionIntervalMs ?? HOUR_MS, "retentionIntervalMs");
  const maxLatenessMs = positive(options.maxLatenessMs ?? 7 * 24 * HOUR_MS, "maxLatenessMs");
  const futureSlackMs = options.futureSlackMs ?? 5 * MINUTE_MS;
  const log = guarded(options.log ?? logErrorsToStderr);
  const plain = flavor === "postgres";
  const tables = plain ? RETENTION_TABLES : PLAIN_TABLES;

  let dirtyFrom: number | undefined = plain
    ? Date.now() - (options.startupLookbackMs ?? 3 * HOUR_MS)
    : undefined;
  let nextRetentionAt = Date.now();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();

  function markDirty(from: Date): void {
    const t = from.getTime();
    if (!plain || Number.isNaN(t)) return;
    dirtyFrom = dirtyFrom === undefined ? t : Math.min(dirtyFrom, t);
  }

  async function refresh(): Promise<void> {
    if (dirtyFrom === undefined) return;
    const taken = dirtyFrom;
    dirtyFrom = undefined;
    const now = Date.now();
    const range = { from: new Date(Math.max(taken, now - maxLatenessMs)), to: new Date(now + futureSlackMs) };
    try {
      const report = await refreshRollups(sql, range);
      log("debug", "rollups refreshed", { ...range, ...report, clamped: taken < range.from.getTime() });
    } catch (err) {
      markDirty(new Date(taken)); // the next run tries the same range again
      log("error", "refreshing rollups failed", { err: toDbError(err, "refreshing rollups failed") });
    }
  }

  async function retention(): Promise<void> {
    if (Date.now() < nextRetentionAt) return;
    nextRetentionAt = Date.now() + retentionIntervalMs;
    try {
      const results = await enforceRetention(sql, { ...options.retention, tables });
      const deleted = results.filter((r) => r.deleted > 0);
      if (deleted.length > 0) log("info", "retention deleted old rows", { results: deleted });
    } catch (err) {
      log("error", "enforcing retention failed", { err: toDbError(err, "enforcing retention failed") });
    }
  }

  function run(): void {
    running = refresh()
      .then(retention)
      .finally(() => {
        if (!stopped) timer = setTimeout(run, refreshIntervalMs);
      });
  }
  run();

  return {
    markDirty,
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

function positive(value: number, name: string): number {
  if (!(value > 0)) throw new AppError(ErrorCode.INVALID_ARGUMENT, `${name} must be positive, not ${value}`);
  return value;
}

function logErrorsToStderr(
  level: MaintenanceLogLevel,
  message: string,
  fields?: Record<string, unknown>,
): void {
  if (level === "error") console.error(message, fields);
}

/** A logger that throws must not stop maintenance (nor reject the run it was called from). */
function guarded(log: MaintenanceLog): MaintenanceLog {
  return (level, message, fields) => {
    try {
      log(level, message, fields);
    } catch {
      // nothing sensible is left to report it to
    }
  };
}
