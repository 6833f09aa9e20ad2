import { DurationMsSchema } from "@infrastructor/shared/duration.ts";
import { z } from "zod";

/**
 * Bounds on how long one piece of work may hold or wait for a pooled PostgreSQL connection. Without
 * them a transaction that waits for something (another connection, a lock, a network peer) can pin
 * the pool forever, and every caller of the pool (ingest, API, /health) queues behind it.
 */
export interface DbLimits {
  /** Longest wait for a free pooled connection before the work fails with DB_UNAVAILABLE. */
  acquireTimeoutMs: number;
  /** PostgreSQL statement_timeout: the server cancels a statement (or a lock wait) running longer. */
  statementTimeoutMs: number;
  /** PostgreSQL idle_in_transaction_session_timeout: a session idle inside a transaction is ended. */
  idleInTransactionTimeoutMs: number;
}

export const DEFAULT_DB_LIMITS: DbLimits = {
  acquireTimeoutMs: 10_000,
  // Long enough for the plain-PostgreSQL rollup refresh and retention deletes of a large fleet; the
  // migration runner lifts it for its own session (a migration may rewrite a big table).
  statementTimeoutMs: 120_000,
  idleInTransactionTimeoutMs: 60_000,
};

const positive = (what: string) =>
  DurationMsSchema.refine((ms) => ms >= 100, { message: `${what} must be at least 100ms` });

/** The environment variables for DbLimits, shared by every config module that opens a pool. */
export const DbLimitsEnvSchema = z.object({
  DATABASE_ACQUIRE_TIMEOUT: positive("the acquire timeout").default(DEFAULT_DB_LIMITS.acquireTimeoutMs),
  DATABASE_STATEMENT_TIMEOUT: positive("the statement timeout").default(DEFAULT_DB_LIMITS.statementTimeoutMs),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT: positive("the idle-in-transaction timeout").default(
    DEFAULT_DB_LIMITS.idleInTransactionTimeoutMs,
  ),
});

export function dbLimitsFromEnv(e: z.infer<typeof DbLimitsEnvSchema>): DbLimits {
  return {
    acquireTimeoutMs: e.DATABASE_ACQUIRE_TIMEOUT,
    statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT,
    idleInTransactionTimeoutMs: e.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT,
  };
}

/** postgres.js `connection` startup parameters: the server applies them to every pooled session. */
export function sessionParameters(limits: DbLimits): Record<string, string> {
  return {
    statement_timeout: String(Math.round(limits.statementTimeoutMs)),
    idle_in_transaction_session_timeout: String(Math.round(limits.idleInTransactionTimeoutMs)),
  };
}
