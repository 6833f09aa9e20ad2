import { expect, test } from "bun:test";
import type { TestDatabase } from "@infrastructor/lib/testing/databases.ts";
import { useTestCluster } from "@infrastructor/lib/testing/test-cluster.ts";
import { runMigrations } from "../../../sql/src/migrate.ts";
import { type MaintenanceLogLevel, startMaintenance } from "./schedule.ts";
import { insertSamples } from "./testing/samples.ts";

const cluster = useTestCluster();

interface Entry {
  level: MaintenanceLogLevel;
  message: string;
  fields: Record<string, unknown> | undefined;
}

function recorder(): {
  entries: Entry[];
  log: (l: MaintenanceLogLevel, m: string, f?: Record<string, unknown>) => void;
} {
  const entries: Entry[] = [];
  return { entries, log: (level, message, fields) => entries.push({ level, message, fields }) };
}

async function eventually(probe: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await Bun.sleep(20);
  }
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function hourlyBuckets(db: TestDatabase): Promise<number[]> {
  const rows = await db.sql<{ bucket: Date }[]>`SELECT bucket FROM system_metrics_hourly ORDER BY bucket`;
  return rows.map((r) => r.bucket.getTime());
}

async function rejectsLeft(db: TestDatabase): Promise<number> {
  const [row] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ingest_rejects`;
  return row?.n ?? -1;
}

async function oldReject(db: TestDatabase): Promise<void> {
  await db.sql`
    INSERT INTO ingest_rejects (received_at, subject, reason, payload_bytes, payload)
    VALUES (now() - interval '31 days', 's', 'r', 0, '')
  `;
}

test("postgres: refreshes the last hours at start, then what markDirty names, within the lateness limit", async () => {
  const db = await cluster.migrated();
  const now = Date.now();
  const hourOf = (t: number): number => t - (t % HOUR);
  await insertSamples(db.sql, [{ device_id: 1, time: new Date(now - HOUR) }]);
  await oldReject(db);
  const { entries, log } = recorder();
  const maintenance = startMaintenance({ sql: db.sql, flavor: "postgres", log, refreshIntervalMs: 30 });
  try {
    await eventually(async () => (await hourlyBuckets(db)).includes(hourOf(now - HOUR)));
    await eventually(async () => (await rejectsLeft(db)) === 0);

    const late = now - 2 * DAY;
    await insertSamples(db.sql, [{ device_id: 1, time: new Date(late) }]);
    maintenance.markDirty(new Date(late));
    await eventually(async () => (await hourlyBuckets(db)).includes(hourOf(late)));

    // Older than the 7-day limit: not folded in (TimescaleDB's refresh window does the same).
    const tooLate = now - 8 * DAY;
    await insertSamples(db.sql, [{ device_id: 1, time: new Date(tooLate) }]);
    maintenance.markDirty(new Date(tooLate));
    await eventually(() => entries.some((e) => e.fields?.clamped === true));
    expect(await hourlyBuckets(db)).not.toContain(hourOf(tooLate));
    expect(entries.filter((e) => e.level === "error")).toEqual([]);
  } finally {
    await maintenance.stop();
  }
});

test("failures are logged, not thrown, and the loop keeps going until the database is fixed", async () => {
  const db = await cluster.fresh(); // no tables yet
  const { entries, log } = recorder();
  const maintenance = startMaintenance({ sql: db.sql, flavor: "postgres", log, refreshIntervalMs: 20 });
  try {
    await eventually(() => entries.filter((e) => e.message === "refreshing rollups failed").length >= 2);
    const failure = entries.find((e) => e.level === "error")?.fields?.err;
    expect(failure).toMatchObject({ code: "INTERNAL", message: expect.stringContaining("does not exist") });
    expect(entries.some((e) => e.message === "enforcing retention failed")).toBe(true);

    expect((await runMigrations(db.sql, { flavor: "postgres" })).error).toBeUndefined();
    // The failed range stayed dirty, so the next run refreshes it.
    await eventually(() => entries.some((e) => e.message === "rollups refreshed"));
  } finally {
    await maintenance.stop();
  }
});

test("timescaledb: the policies own rollups and retention; only ingest_rejects is pruned", async () => {
  const db = await cluster.migrated(); // plain tables, standing in for the hypertables
  await db.sql`
    INSERT INTO temperatures (time, device_id, sensor, temp_c) VALUES (now() - interval '40 days', 1, 'cpu', 50)
  `;
  await insertSamples(db.sql, [{ device_id: 1, time: new Date() }]);
  await oldReject(db);
  const { entries, log } = recorder();
  const maintenance = startMaintenance({ sql: db.sql, flavor: "timescaledb", log, refreshIntervalMs: 20 });
  maintenance.markDirty(new Date(Date.now() - HOUR));
  await eventually(async () => (await rejectsLeft(db)) === 0);
  await maintenance.stop();
  expect(entries.find((e) => e.level === "info")?.fields?.results).toEqual([
    { table: "ingest_rejects", deleted: 1, batches: 1 },
  ]);
  const [row] = await db.sql`
    SELECT (SELECT count(*)::int FROM temperatures) AS raw, (SELECT count(*)::int FROM system_metrics_hourly) AS hourly
  `;
  expect(row).toEqual({ raw: 1, hourly: 0 });
});

test("stop() waits for the run in progress, and nothing runs after it", async () => {
  const db = await cluster.migrated();
  const { entries, log } = recorder();
  const maintenance = startMaintenance({ sql: db.sql, flavor: "postgres", log, refreshIntervalMs: 10 });
  await eventually(() => entries.filter((e) => e.message === "rollups refreshed").length >= 1);
  maintenance.markDirty(new Date());
  await maintenance.stop();
  const settled = entries.length;
  maintenance.markDirty(new Date());
  await Bun.sleep(100);
  expect(entries.length).toBe(settled);
});
