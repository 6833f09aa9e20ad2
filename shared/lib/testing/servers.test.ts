import { afterAll, beforeAll, expect, test } from "bun:test";
import { connect } from "nats";
import postgres from "postgres";
import { startTestNats, startTestPostgres } from "./servers.ts";

let pg: Awaited<ReturnType<typeof startTestPostgres>>;
let nats: Awaited<ReturnType<typeof startTestNats>>;

beforeAll(async () => {
  [pg, nats] = await Promise.all([startTestPostgres(), startTestNats()]);
});
afterAll(async () => {
  await Promise.all([pg?.destroy(), nats?.destroy()]);
});

test("the test PostgreSQL answers and survives a stop/start", async () => {
  const sql = postgres(pg.url, { max: 1 });
  expect((await sql`SELECT current_database() AS db`)[0]?.db).toBe("infrastructor");
  await sql.end();
  await pg.stop();
  expect(await pg.isRunning()).toBe(false);
  await pg.start();
  const again = postgres(pg.url, { max: 1 });
  expect((await again`SELECT 1 AS one`)[0]?.one).toBe(1);
  await again.end();
});

test("the test nats-server has JetStream", async () => {
  const nc = await connect({ servers: nats.url });
  const jsm = await nc.jetstreamManager();
  const info = await jsm.getAccountInfo();
  expect(info.limits).toBeDefined();
  await nc.close();
});
