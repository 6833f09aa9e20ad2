import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import postgres, { type Sql } from "postgres";
import { runMigrations } from "../../../sql/src/migrate.ts";
import { DeviceRegistry } from "./device-registry.ts";
import { type Pending, writeRejects } from "./write-isolating.ts";

let pg: Awaited<ReturnType<typeof startTestPostgres>>;
let sql: Sql;

beforeAll(async () => {
  pg = await startTestPostgres();
  sql = postgres(pg.url, { max: 2, onnotice: () => {} });
  const migrated = await runMigrations(sql, { flavor: "postgres" });
  if (migrated.error) throw migrated.error;
}, 120_000);

afterAll(async () => {
  await sql?.end();
  await pg?.destroy();
});

const reject = (seq: number, detail: string) => ({
  subject: "infra.v1.web1.system",
  reason: "malformed_json",
  detail,
  streamSeq: seq,
  payloadBytes: 3,
  payload: new Uint8Array([1, 0, 2]),
});

test("a reject the database refuses is still stored, as a bare record, and does not hold the others", async () => {
  const batch: Pending = {
    accepted: [],
    acceptedMsgs: [],
    rejects: [reject(1, "fine"), reject(2, "nul\u0000in detail"), reject(3, "fine too")],
    rejectMsgs: [],
    rows: 3,
  };
  await writeRejects(sql, new DeviceRegistry(sql), batch);
  const rows = await sql`SELECT stream_seq, subject, detail, payload FROM ingest_rejects ORDER BY stream_seq`;
  expect(rows.map((r) => [Number(r.stream_seq), r.subject, r.detail])).toEqual([
    [1, "infra.v1.web1.system", "fine"],
    [2, "(unstorable)", "unstorable reject: 22021"],
    [3, "infra.v1.web1.system", "fine too"],
  ]);
  // bytea keeps NUL bytes as they came: the payload is evidence, not text
  expect([...(rows[0]?.payload ?? [])]).toEqual([1, 0, 2]);
});
