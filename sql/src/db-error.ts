import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";

/**
 * postgres.js puts the SQLSTATE in `code` for server errors and a word for client-side connection
 * failures. Those, and SQLSTATE classes 08 (connection exception) and 57P (server shutting down), mean
 * the database is unreachable rather than that our SQL is wrong: callers retry the former, fix the latter.
 */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);

export function errorCodeOf(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err ? String(err.code) : undefined;
}

export function isUnavailable(err: unknown): boolean {
  const code = errorCodeOf(err) ?? "";
  return CONNECTION_CODES.has(code) || code.startsWith("08") || code.startsWith("57P");
}

/** Wraps a database failure: DB_UNAVAILABLE when the server is unreachable, INTERNAL otherwise. */
export function toDbError(err: unknown, message: string, details: Record<string, unknown> = {}): AppError {
  if (err instanceof AppError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  const code = isUnavailable(err) ? ErrorCode.DB_UNAVAILABLE : ErrorCode.INTERNAL;
  const sqlState = errorCodeOf(err);
  return new AppError(code, `${message}: ${reason}`, {
    cause: err,
    details: sqlState === undefined ? details : { ...details, sqlState },
  });
}

/**
 * Whether the server ended the session: a FATAL (or PANIC) error, or the socket closed under a query.
 * postgres.js 3.4.9 reports a FATAL that arrives during a query as CONNECTION_CLOSED (the server's
 * ErrorResponse is kept only until a ReadyForQuery that never comes), so both are checked. Looks through
 * an AppError's cause. No query may run on such a session again: see runMigrations.
 */
export function sessionEnded(err: unknown): boolean {
  const inner = err instanceof AppError && err.cause !== undefined ? err.cause : err;
  const severity =
    typeof inner === "object" && inner !== null && "severity" in inner ? String(inner.severity) : "";
  return severity === "FATAL" || severity === "PANIC" || isUnavailable(inner);
}
