import { afterAll, beforeAll, expect, test } from "bun:test";
import { systemEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import postgres, { type Sql } from "postgres";
import { runMigrations } from "../../../sql/src/migrate.ts";
import type { Accepted } from "./decode.ts";
import { LatestStateWriter } from "./latest-state-writer.ts";

let pg: Awaited<ReturnType<typeof startTestPostgres>>;
let sql: Sql;
const ids = new Map<string, number>();

beforeAll(async () => {
  pg = await startTestPostgres();
  sql = postgres(pg.url, { max: 2, onnotice: () => {} });
  const migrated = await runMigrations(sql, { flavor: "postgres" });
  if (migrated.error) throw migrated.error;
  const rows =
    await sql`INSERT INTO devices (hostname) VALUES ('good1'), ('bad1'), ('good2') RETURNING id, hostname`;
  for (const r of rows) ids.set(r.hostname, r.id);
}, 120_000);

afterAll(async () => {
  await sql?.end();
  await pg?.destroy();
});

function accepted(host: string, message: string): Accepted {
  const envelope = {
    ...systemEnvelope(host, 1, Date.now() - 1000),
    errors: [{ code: "READ_FAILED", message }],
  };
  return { kind: "accepted", envelope, domain: "system", collectedAt: new Date(envelope.collected_at) };
}

test("an entry the database refuses for its data is handed back; the others of the write are stored", async () => {
  const writer = new LatestStateWriter(sql, 0);
  // Decode cleans NUL; this one is built past it, as any other value jsonb might refuse would be.
  const bad = accepted("bad1", "nul\u0000here");
  const refused = await writer.submit([accepted("good1", "one"), bad, accepted("good2", "two")], ids);
  expect([...refused]).toEqual([bad]);
  const rows = await sql`
    SELECT d.hostname, l.errors->0->>'message' AS message FROM latest_state l
    JOIN devices d ON d.id = l.device_id ORDER BY d.hostname`;
  expect(rows.map((r) => [r.hostname, r.message])).toEqual([
    ["good1", "one"],
    ["good2", "two"],
  ]);
  const [seen] = await sql`SELECT last_seen FROM devices WHERE hostname = 'good2'`;
  expect(seen?.last_seen).not.toBeNull();
});

test("a write with nothing refused hands back an empty set", async () => {
  const writer = new LatestStateWriter(sql, 0);
  expect((await writer.submit([accepted("good1", "three")], ids)).size).toBe(0);
});
