import { expect, test } from "bun:test";
import { RETENTION_TABLES } from "@infrastructor/lib/db/retention.ts";
import type { TestDatabase } from "@infrastructor/lib/testing/databases.ts";
import { useTestCluster } from "@infrastructor/lib/testing/test-cluster.ts";
import { enforceRetention } from "./enforce-retention.ts";

const cluster = useTestCluster();

/** A migrated database holding `old` system_metrics rows 40 days old and `young` ones 10 days old, etc. */
async function seeded(old: number, young: number): Promise<TestDatabase> {
  const db = await cluster.migrated();
  const { sql } = db;
  for (const [count, age] of [
    [old, "40 days"],
    [young, "10 days"],
  ] as const) {
    await sql`
      INSERT INTO system_metrics (time, device_id, load_1, load_5, load_15, mem_total_bytes, mem_used_bytes,
        mem_available_bytes, swap_total_bytes, swap_used_bytes, uptime_s, process_count)
      SELECT now() - ${age}::interval - g * interval '1 second', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
      FROM generate_series(1, ${count}) AS g
    `;
  }
  await sql`
    INSERT INTO temperatures (time, device_id, sensor, temp_c)
    VALUES (now() - interval '31 days', 1, 'cpu', 50), (now() - interval '29 days', 1, 'cpu', 51)
  `;
  for (const [table, ages] of [
    ["system_metrics_hourly", ["100 days", "91 days", "89 days"]],
    ["system_metrics_daily", ["400 days", "366 days", "364 days"]],
  ] as const) {
    for (const age of ages) {
      await sql`
        INSERT INTO ${sql(table)} (bucket, device_id, samples, load_1_avg, load_1_max, mem_used_bytes_avg,
          mem_used_bytes_max, mem_total_bytes, swap_used_bytes_max, process_count_max)
        VALUES (now() - ${age}::interval, 1, 1, 0, 0, 0, 0, 0, 0, 0)
      `;
    }
  }
  await sql`
    INSERT INTO ingest_rejects (received_at, subject, reason, payload_bytes, payload)
    VALUES (now() - interval '31 days', 's', 'r', 0, ''), (now() - interval '1 day', 's', 'r', 0, '')
  `;
  await db.sql`
    INSERT INTO enrollment_events (at, hostname, outcome)
    VALUES (now() - interval '400 days', 'web1', 'enrolled'), (now() - interval '300 days', 'web1', 'replaced')
  `;
  return db;
}

/** The tables seeded above, and the rows each keeps after retention. */
const SEEDED: Record<string, number> = {
  system_metrics: 20,
  disk_usage: 0,
  disk_io: 0,
  network_io: 0,
  temperatures: 1,
  system_metrics_hourly: 1,
  system_metrics_daily: 1,
  ingest_rejects: 1,
  enrollment_events: 1,
};

async function counts(db: TestDatabase): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of Object.keys(SEEDED)) {
    const [row] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ${db.sql(table)}`;
    out[table] = row?.n ?? -1;
  }
  return out;
}

test("deletes rows past retention in bounded batches and keeps the young ones", async () => {
  const db = await seeded(250, 20);
  const results = await enforceRetention(db.sql, { batchSize: 100 });
  // Every domain's tables are pruned; only the ones seeded here have rows to lose.
  expect(results.map((r) => r.table)).toEqual([...RETENTION_TABLES]);
  const seededTables = new Set(Object.keys(SEEDED));
  expect(results.filter((r) => seededTables.has(r.table))).toEqual([
    { table: "system_metrics", deleted: 250, batches: 3 },
    { table: "disk_usage", deleted: 0, batches: 0 },
    { table: "disk_io", deleted: 0, batches: 0 },
    { table: "network_io", deleted: 0, batches: 0 },
    { table: "temperatures", deleted: 1, batches: 1 },
    { table: "system_metrics_hourly", deleted: 2, batches: 1 },
    { table: "system_metrics_daily", deleted: 2, batches: 1 },
    { table: "ingest_rejects", deleted: 1, batches: 1 },
    { table: "enrollment_events", deleted: 1, batches: 1 },
  ]);
  expect(results.filter((r) => !seededTables.has(r.table)).every((r) => r.deleted === 0)).toBe(true);
  expect(await counts(db)).toEqual(SEEDED);
  // Nothing is left to delete the second time.
  const again = await enforceRetention(db.sql, { batchSize: 100 });
  expect(again.every((r) => r.deleted === 0 && r.batches === 0)).toBe(true);
});

test("an exact multiple of the batch size ends on an empty batch", async () => {
  const db = await seeded(200, 0);
  const [raw] = await enforceRetention(db.sql, { batchSize: 100, tables: ["system_metrics"] });
  expect(raw).toEqual({ table: "system_metrics", deleted: 200, batches: 2 });
});

test("ages are configurable, and only the tables asked for are touched", async () => {
  const db = await seeded(5, 5);
  const results = await enforceRetention(db.sql, {
    rawMs: 5 * 86_400_000,
    tables: ["system_metrics", "ingest_rejects"],
  });
  expect(results.map((r) => [r.table, r.deleted])).toEqual([
    ["system_metrics", 10],
    ["ingest_rejects", 1],
  ]);
  expect((await counts(db)).system_metrics_hourly).toBe(3);
});

test("a batch size that is not a positive integer is refused", async () => {
  const db = await seeded(0, 0);
  await expect(enforceRetention(db.sql, { batchSize: 0 })).rejects.toMatchObject({
    code: "INVALID_ARGUMENT",
  });
});
