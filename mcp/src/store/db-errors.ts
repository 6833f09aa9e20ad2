import { AppError, ErrorCode, toAppError } from "@infrastructor/shared/errors.ts";

/** postgres.js names connection failures with a word; the server's SQLSTATE classes 08/53/57 mean the same. */
const UNAVAILABLE_WORDS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ETIMEDOUT",
  "EPIPE",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

export function isDbUnavailable(err: unknown): boolean {
  const code = typeof err === "object" && err !== null && "code" in err ? String(err.code) : "";
  return UNAVAILABLE_WORDS.has(code) || /^(08|53|57)/.test(code);
}

/** Runs a query; an unreachable database becomes DB_UNAVAILABLE (a tool result, never a crash). */
export async function guardDb<T>(what: string, query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (isDbUnavailable(err)) {
      throw new AppError(ErrorCode.DB_UNAVAILABLE, `the database is unreachable (${what})`, { cause: err });
    }
    throw toAppError(err, ErrorCode.INTERNAL);
  }
}
