import { afterAll, beforeAll, expect, test } from "bun:test";
import {
  migratedDatabase,
  type TestDatabase,
  type TestPostgres,
} from "@infrastructor/lib/testing/databases.ts";
import { systemEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import type { Envelope } from "@infrastructor/shared/envelope.ts";
import { telemetrySubject } from "@infrastructor/shared/subjects.ts";
import { type Accepted, decodeMessage } from "./decode.ts";
import { DeviceRegistry } from "./device-registry.ts";
import { ShortWriteError } from "./merge-in.ts";
import { writeBatch } from "./write-batch.ts";
import { TIME_SERIES_TABLES } from "./writers.ts";

let pg: TestPostgres;
let db: TestDatabase;
const t0 = Date.now() - 3_600_000;
const limits = { maxMessageBytes: 1 << 20, maxFutureSkewMs: 60_000, maxPastAgeMs: 30 * 86_400_000 };

beforeAll(async () => {
  pg = await startTestPostgres();
  db = await migratedDatabase(pg);
}, 120_000);
afterAll(async () => {
  await db?.sql.end();
  await pg?.destroy();
});

function accepted(e: Envelope): Accepted {
  const decoded = decodeMessage(
    telemetrySubject(e.host, e.domain),
    new TextEncoder().encode(JSON.stringify(e)),
    limits,
    Date.now(),
  );
  if (decoded.kind !== "accepted") throw new Error(`not accepted: ${decoded.detail}`);
  return decoded;
}

async function samples(host: string): Promise<number[]> {
  const rows = await db.sql<{ t: Date }[]>`
    SELECT m.time AS t FROM system_metrics m JOIN devices d ON d.id = m.device_id
    WHERE d.hostname = ${host} ORDER BY m.time`;
  return rows.map((r) => r.t.getTime());
}

test("the duplicate path counts what it wrote: a silent short write throws, nothing of the batch commits", async () => {
  const devices = new DeviceRegistry(db.sql);
  const first = systemEnvelope("lossy1", 1, t0);
  const later = systemEnvelope("lossy1", 2, t0 + 15_000);
  await writeBatch(db.sql, devices, { accepted: [accepted(first)], rejects: [] });

  // The engine drops rows of INSERT ... ON CONFLICT DO NOTHING and reports success, as TimescaleDB
  // < 2.18.1 does after a row that meets a compressed chunk (#7672). COPY (the fast path) is untouched.
  await db.sql.unsafe(`
    CREATE FUNCTION drop_on_conflict_path() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF current_query() LIKE 'INSERT INTO system_metrics%ON CONFLICT DO NOTHING%' THEN RETURN NULL; END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER drop_on_conflict_path BEFORE INSERT ON system_metrics
      FOR EACH ROW EXECUTE FUNCTION drop_on_conflict_path();`);

  // A redelivery of `first` with a new sample: COPY meets the duplicate, the batch takes the merge path.
  const redelivered = { accepted: [accepted(first), accepted(later)], rejects: [] };
  const err = await writeBatch(db.sql, devices, redelivered).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ShortWriteError);
  expect((err as ShortWriteError).count).toEqual({
    table: "system_metrics",
    attempted: 2,
    inserted: 0,
    alreadyPresent: 1,
    missing: 1,
  });
  expect((err as ShortWriteError).message).toBe(
    "short write into system_metrics: 2 rows attempted, 0 inserted + 1 already present; 1 silently not written (the database reported success)",
  );
  // Rolled back whole: the other tables' rows of `later` (disk_usage...) are not there either.
  expect(await samples("lossy1")).toEqual([t0]);
  const [disks] = await db.sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM disk_usage u JOIN devices d ON d.id = u.device_id
    WHERE d.hostname = 'lossy1' AND u.time = ${new Date(t0 + 15_000)}`;
  expect(disks?.n).toBe(0);

  // The engine fixed, the retry writes it, through the same checked path.
  await db.sql.unsafe("DROP TRIGGER drop_on_conflict_path ON system_metrics");
  const retried = await writeBatch(db.sql, devices, redelivered);
  expect(retried.mode).toBe("merge");
  expect(await samples("lossy1")).toEqual([t0, t0 + 15_000]);
});

test("a redelivery fully present, or repeated within its batch, is not a short write", async () => {
  const devices = new DeviceRegistry(db.sql);
  const a = systemEnvelope("dup1", 1, t0);
  const b = systemEnvelope("dup1", 2, t0 + 15_000);
  await writeBatch(db.sql, devices, { accepted: [accepted(a), accepted(b)], rejects: [] });
  const again = await writeBatch(db.sql, devices, {
    accepted: [accepted(a), accepted(b), accepted(systemEnvelope("dup1", 9, t0 + 15_000, "other-boot"))],
    rejects: [],
  });
  expect(again.mode).toBe("merge");
  expect(await samples("dup1")).toEqual([t0, t0 + 15_000]);
});

test("every time-series table has a primary key for the check to count by", async () => {
  for (const table of TIME_SERIES_TABLES) {
    const [row] = await db.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_index WHERE indrelid = ${table.name}::regclass AND indisprimary`;
    expect([table.name, row?.n]).toEqual([table.name, 1]);
  }
});
