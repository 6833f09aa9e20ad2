import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import postgres, { type Sql } from "postgres";
import { copyIn } from "./copy-in.ts";

let pg: Awaited<ReturnType<typeof startTestPostgres>>;
let sql: Sql;

beforeAll(async () => {
  pg = await startTestPostgres();
  sql = postgres(pg.url, { max: 2, onnotice: () => {} });
  await sql`CREATE TABLE t (a int PRIMARY KEY, b text NOT NULL)`;
  await sql`INSERT INTO t VALUES (1, 'first')`;
}, 60_000);

afterAll(async () => {
  await sql?.end();
  await pg?.destroy();
});

const bigInput = (from: number, n: number): string =>
  Array.from({ length: n }, (_, i) => `${from + i}\t${"x".repeat(40)}\n`).join("");

test("a COPY the server accepts commits", async () => {
  await sql.begin((tx) => copyIn(tx, "COPY t FROM STDIN", "2\tsecond\n3\tthird\n"));
  expect((await sql`SELECT count(*)::int AS n FROM t`)[0]?.n).toBe(3);
});

test("a duplicate key after the data was sent rejects with 23505 and rolls back, instead of hanging", async () => {
  const attempt = sql.begin((tx) => copyIn(tx, "COPY t FROM STDIN", "4\tfour\n1\tdup\n"));
  const outcome = await Promise.race([
    attempt.then(
      () => "committed",
      (e) => e.code,
    ),
    Bun.sleep(5000).then(() => "hung"),
  ]);
  expect(outcome).toBe("23505");
  expect((await sql`SELECT count(*)::int AS n FROM t`)[0]?.n).toBe(3);
});

test("a refusal in the middle of a large input is reported too, and the pool stays usable", async () => {
  const text = bigInput(10, 50_000) + bigInput(10, 1);
  const outcome = await Promise.race([
    sql
      .begin((tx) => copyIn(tx, "COPY t FROM STDIN", text))
      .then(
        () => "committed",
        (e) => e.code,
      ),
    Bun.sleep(10_000).then(() => "hung"),
  ]);
  expect(outcome).toBe("23505");
  const idleInTx =
    await sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'`;
  expect(idleInTx[0]?.n).toBe(0);
  await sql.begin((tx) => copyIn(tx, "COPY t FROM STDIN", bigInput(100_000, 1000)));
  expect((await sql`SELECT count(*)::int AS n FROM t`)[0]?.n).toBe(1003);
});

test("a value the column cannot hold (a NUL byte in text) is a data error, not a hang", async () => {
  const outcome = await sql
    .begin((tx) => copyIn(tx, "COPY t FROM STDIN", "5\ta\u0000b\n"))
    .then(
      () => "committed",
      (e) => String(e.code).slice(0, 2),
    );
  expect(outcome).toBe("22");
});
