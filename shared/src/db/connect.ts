import { Kysely } from "kysely";
import { PostgresJSDialect } from "kysely-postgres-js";
import postgres, { type Sql } from "postgres";
import type { Database } from "./database.ts";

export interface DbHandles {
  /** postgres.js: COPY and the ingest's hand-tuned statements. */
  sql: Sql;
  /** Kysely over the same pool: typed queries for the API. */
  db: Kysely<Database>;
  close(): Promise<void>;
}

/** The collector and the MCP server share one way to reach the database, so types and limits agree. */
export function connectDatabase(
  url: string,
  poolSize: number,
  onNotice: (message: string) => void = () => {},
): DbHandles {
  const sql = postgres(url, {
    max: poolSize,
    connect_timeout: 5,
    idle_timeout: 60,
    // int8 as JS numbers: byte counts and sequence numbers stay below 2^53.
    types: {
      int8: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) },
    },
    transform: { undefined: null },
    onnotice: (notice) => onNotice(String(notice.message)),
  });
  const db = new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: sql }) });
  return {
    sql,
    db,
    async close(): Promise<void> {
      await sql.end({ timeout: 5 });
    },
  };
}
