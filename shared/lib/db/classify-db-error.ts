import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";

/**
 * Why a database call failed, the one answer every caller (ingest, HTTP API, MCP server) acts on:
 * - `unavailable`: the database cannot be reached or is going away; retry later, report 503.
 * - `duplicate`: a unique key refused a row (a redelivered message); merge instead.
 * - `retry`: a deadlock, serialization failure or lock timeout; the same statement succeeds again.
 * - `bad_data`: the values themselves were refused (SQLSTATE classes 22 data exception, 23 integrity,
 *   54 program limit such as "stack depth exceeded"); retrying never helps, isolate the input.
 * - `internal`: anything else (a bug, a missing privilege, a schema out of step); neither the data's
 *   fault nor an outage.
 */
export type DbErrorKind = "unavailable" | "duplicate" | "retry" | "bad_data" | "internal";

/**
 * postgres.js and Bun name client-side connection failures with a word in `code`. A failure of the
 * socket or of connecting means the server is out of reach, whatever it was asked.
 */
const CONNECTION_WORDS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "EPIPE",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

/**
 * Server SQLSTATEs meaning "not now": 08 connection exception, 28 authorization (credentials being
 * rotated), 3D000 no such database (being created), 53 insufficient resources (disk full, out of
 * memory, too many connections), 57P01-03 admin/crash shutdown and "cannot connect now".
 */
const UNAVAILABLE_STATE = /^(08|28|53|57P0[1-3]$|3D000$)/;
/**
 * Deadlock, serialization failure, lock not available, statement cancelled by a timeout, a session ended
 * by idle_in_transaction_session_timeout (the pool's bounds: the work is redone on a fresh session).
 */
const RETRY_STATES = new Set(["40P01", "40001", "55P03", "57014", "25P03"]);
/** 22 data exception (NUL in text, value out of range...), 23 integrity, 54 program limit. */
const BAD_DATA_STATE = /^(22|23|54)/;
/** postgres.js refusing the values on the client side (an undefined value, too many parameters). */
const BAD_DATA_WORDS = new Set(["UNDEFINED_VALUE", "MAX_PARAMETERS_EXCEEDED"]);

export function classifyDbError(err: unknown): DbErrorKind {
  if (err instanceof AppError) return err.code === ErrorCode.DB_UNAVAILABLE ? "unavailable" : "internal";
  const code = codeOf(err);
  if (code === "") return "internal";
  if (CONNECTION_WORDS.has(code) || UNAVAILABLE_STATE.test(code)) return "unavailable";
  if (code === "23505") return "duplicate";
  if (RETRY_STATES.has(code)) return "retry";
  if (BAD_DATA_STATE.test(code) || BAD_DATA_WORDS.has(code)) return "bad_data";
  return "internal";
}

/** The SQLSTATE or client word of a failure, "" when it carries none. */
export function codeOf(err: unknown): string {
  if (typeof err !== "object" || err === null || !("code" in err)) return "";
  const code = err.code;
  return typeof code === "string" ? code : "";
}
