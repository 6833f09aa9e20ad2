import type { ReservedSql } from "postgres";

/** postgres.js's words for a socket that closed under a query. */
const CLOSED_WORDS = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECTION_ENDED",
  "ECONNRESET",
  "EPIPE",
]);

/**
 * Whether a query's failure means the server ended the session: a FATAL or PANIC (a restart,
 * pg_terminate_backend, idle_in_transaction_session_timeout, TimescaleDB's "must be preloaded"), or the
 * socket closing under the query (postgres.js 3.4.9 reports a FATAL that arrives mid-query that way).
 */
export function endsSession(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const { severity, code } = err as { severity?: unknown; code?: unknown };
  return severity === "FATAL" || severity === "PANIC" || (typeof code === "string" && CLOSED_WORDS.has(code));
}

type Then = (onFulfilled?: (value: unknown) => unknown, onRejected?: (reason: unknown) => unknown) => unknown;

/**
 * A reserved connection that is never given back to the pool once the server ended its session.
 * postgres.js 3.4.9 has already counted such a connection closed; release() would put it among the open
 * ones, and the next query on it throws a TypeError from a timer (its socket is null) and never settles
 * (porsager/postgres#1208). Kysely takes every connection through reserve(), so one dead session hung
 * the next API or MCP query for good. Left unreleased, the pool reconnects it on demand.
 * Failures are seen where the caller awaits a query (then/catch); a cursor's are not.
 * What remains of postgres.js's bug: the reconnected connection still carries the ended session's last
 * error and fails the first request it serves with it (one spurious 57P01-like error, then it works,
 * measured with a pool of 2); with a pool of one that request was a reserve() and the slot is lost
 * (DB_UNAVAILABLE from then on, no hang). Both pools that use Kysely default to 4 and 6.
 */
export function releaseUnlessEnded(conn: ReservedSql): ReservedSql {
  let ended = false;
  const failed =
    (fail?: (e: unknown) => unknown) =>
    (err: unknown): unknown => {
      if (endsSession(err)) ended = true;
      if (fail) return fail(err);
      throw err;
    };
  const observed = <Q extends object>(query: Q): Q =>
    new Proxy(query, {
      get(target, property) {
        const then = (target as { then?: Then }).then;
        if (property === "then" && typeof then === "function")
          return (ok?: (v: unknown) => unknown, fail?: (e: unknown) => unknown) =>
            then.call(target, ok, failed(fail));
        if (property === "catch" && typeof then === "function")
          return (fail?: (e: unknown) => unknown) => then.call(target, undefined, failed(fail));
        const value = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  return new Proxy(conn, {
    apply(target, thisArg, args) {
      return observed(Reflect.apply(target, thisArg, args) as object);
    },
    get(target, property, receiver) {
      if (property === "release")
        return (): void => {
          if (!ended) target.release();
        };
      if (property === "unsafe")
        return (...args: Parameters<ReservedSql["unsafe"]>) => observed(target.unsafe(...args));
      return Reflect.get(target, property, receiver);
    },
  });
}
