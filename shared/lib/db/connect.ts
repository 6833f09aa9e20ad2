import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { Kysely } from "kysely";
import { PostgresJSDialect } from "kysely-postgres-js";
import postgres, { type ReservedSql, type Sql } from "postgres";
import type { Database } from "./database.ts";
import { type DbLimits, DEFAULT_DB_LIMITS, sessionParameters } from "./db-limits.ts";
import { releaseUnlessEnded } from "./release-unless-ended.ts";

export interface DbHandles {
  /** postgres.js: COPY and the ingest's hand-tuned statements. */
  sql: Sql;
  /** Kysely over the same pool: typed queries for the API. */
  db: Kysely<Database>;
  close(): Promise<void>;
}

/**
 * The collector, the MCP server and the CLIs share one way to reach the database, so types and limits
 * agree. Every session carries statement_timeout and idle_in_transaction_session_timeout, so no piece
 * of work holds a connection without bound; Kysely work (API, enrollment, MCP) also gives up waiting
 * for a free connection after `limits.acquireTimeoutMs` with DB_UNAVAILABLE instead of queueing forever.
 */
export function connectDatabase(
  url: string,
  poolSize: number,
  onNotice: (message: string) => void = () => {},
  limits: DbLimits = DEFAULT_DB_LIMITS,
): DbHandles {
  const sql = postgres(url, {
    max: poolSize,
    connect_timeout: 5,
    idle_timeout: 60,
    connection: sessionParameters(limits),
    // int8 as JS numbers: byte counts and sequence numbers stay below 2^53.
    types: {
      int8: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) },
    },
    transform: { undefined: null },
    onnotice: (notice) => onNotice(String(notice.message)),
  });
  const db = new Kysely<Database>({
    dialect: new PostgresJSDialect({ postgres: withAcquireTimeout(sql, poolSize, limits.acquireTimeoutMs) }),
  });
  return {
    sql,
    db,
    async close(): Promise<void> {
      await sql.end({ timeout: 5 });
    },
  };
}

/**
 * postgres.js has no acquire timeout: `reserve()` waits in the pool's queue for as long as it takes.
 * Kysely takes every connection through `reserve()`, so this wraps it: after `ms` the caller gets
 * DB_UNAVAILABLE, and a connection that arrives later for the abandoned wait goes straight back.
 */
export function withAcquireTimeout(sql: Sql, poolSize: number, ms: number): Sql {
  const reserve = (): Promise<ReservedSql> =>
    new Promise<ReservedSql>((resolve, reject) => {
      let abandoned = false;
      const timer = setTimeout(() => {
        abandoned = true;
        reject(
          new AppError(
            ErrorCode.DB_UNAVAILABLE,
            `no database connection came free within ${ms} ms (all ${poolSize} of the pool busy)`,
            { details: { acquire_timeout_ms: ms, pool_size: poolSize } },
          ),
        );
      }, ms);
      sql.reserve().then(
        (conn) => {
          clearTimeout(timer);
          if (abandoned) conn.release();
          else resolve(releaseUnlessEnded(conn));
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
  return new Proxy(sql, {
    get(target, property, receiver) {
      return property === "reserve" ? reserve : Reflect.get(target, property, receiver);
    },
  });
}
