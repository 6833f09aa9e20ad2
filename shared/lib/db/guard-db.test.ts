import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import postgres, { type Sql } from "postgres";
import { freePort } from "../../../scripts/lib/free-port.ts";
import { guardDb } from "./guard-db.ts";

let pg: Awaited<ReturnType<typeof startTestPostgres>>;
let sql: Sql;

beforeAll(async () => {
  pg = await startTestPostgres();
  sql = postgres(pg.url, { max: 1, onnotice: () => {} });
}, 60_000);

afterAll(async () => {
  await sql?.end();
  await pg?.destroy();
});

async function codeOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await guardDb("test", run);
  } catch (err) {
    return err instanceof AppError ? err.code : `not an AppError: ${err}`;
  }
  return "succeeded";
}

test("only an unreachable database is DB_UNAVAILABLE; a refused query is INTERNAL, not an outage", async () => {
  const nowhere = postgres(`postgres://x@127.0.0.1:${freePort()}/x`, { max: 1, connect_timeout: 5 });
  try {
    expect(await codeOf(() => nowhere`SELECT 1`)).toBe(ErrorCode.DB_UNAVAILABLE);
  } finally {
    await nowhere.end({ timeout: 1 });
  }
  expect(await codeOf(() => sql`SELECT no_such_column FROM pg_class`)).toBe(ErrorCode.INTERNAL);
  expect(await codeOf(() => sql`SELECT ${"a\u0000b"}::text`)).toBe(ErrorCode.INTERNAL);
  expect(await codeOf(() => sql`SELECT 1`)).toBe("succeeded");
});
