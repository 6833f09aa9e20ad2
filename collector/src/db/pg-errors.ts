/**
 * How the ingest reacts to a failed write depends on why it failed. postgres.js puts the SQLSTATE in
 * `code` for server errors and a word (ECONNREFUSED, CONNECTION_CLOSED, ...) for connection failures.
 */
export type WriteFailure = "duplicate" | "retry" | "unavailable" | "bad_data";

export function classifyPgError(err: unknown): WriteFailure {
  const code = typeof err === "object" && err !== null && "code" in err ? String(err.code) : "";
  if (code === "23505") return "duplicate";
  // deadlock or serialization failure: the same batch succeeds when tried again
  if (code === "40P01" || code === "40001") return "retry";
  // data exceptions and integrity violations: one message carries a value the table refuses
  if (/^(22|23)/.test(code)) return "bad_data";
  return "unavailable";
}
