import { afterAll, beforeAll, expect, test } from "bun:test";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { MIGRATIONS_DIR } from "../../../sql/src/migrate.ts";
import {
  migratedDatabase,
  type TestDatabase,
  type TestPostgres,
} from "../../../sql/src/testing/databases.ts";
import { lintTimescaledb } from "../../../sql/src/testing/lint-timescaledb.ts";
import { startTestPostgres } from "../../../test/support/servers.ts";
import { refreshRollups } from "./refresh-rollups.ts";
import { insertSamples, readRollup } from "./testing/samples.ts";

let pg: TestPostgres;
let db: TestDatabase;

beforeAll(async () => {
  pg = await startTestPostgres();
  db = await migratedDatabase(pg);
});
afterAll(async () => {
  await db?.sql.end();
  await pg?.destroy();
});

const at = (iso: string): Date => new Date(`2026-01-10T${iso}Z`);

test("hourly and daily rollups: count, avg and max of the buckets overlapping the range, late rows folded in", async () => {
  const { sql } = db;
  await insertSamples(sql, [
    {
      device_id: 1,
      time: at("10:00:00"),
      cpu_pct: 10,
      load_1: 1,
      mem_used_bytes: 1000,
      swap_used_bytes: 0,
      process_count: 100,
    },
    {
      device_id: 1,
      time: at("10:20:00"),
      cpu_pct: 30,
      load_1: 3,
      mem_used_bytes: 3000,
      swap_used_bytes: 50,
      process_count: 120,
    },
    {
      device_id: 1,
      time: at("10:40:00"),
      cpu_pct: null,
      load_1: 2,
      mem_used_bytes: 2000,
      swap_used_bytes: 10,
      process_count: 110,
    },
    {
      device_id: 1,
      time: at("11:30:00"),
      cpu_pct: 50,
      load_1: 0.5,
      mem_used_bytes: 500,
      swap_used_bytes: 5,
      process_count: 90,
    },
    {
      device_id: 2,
      time: at("10:10:00"),
      cpu_pct: null,
      load_1: 4,
      mem_used_bytes: 4000,
      mem_total_bytes: 16_000,
    },
    // Outside the range and its buckets: stays unrolled.
    { device_id: 1, time: new Date("2026-01-11T01:00:00Z"), cpu_pct: 99 },
  ]);

  expect(await refreshRollups(sql, { from: at("10:15:00"), to: at("11:05:00") })).toEqual({
    hourly: 3,
    daily: 2,
  });
  const base = { mem_total_bytes: 8000 };
  expect(await readRollup(sql, "system_metrics_hourly")).toEqual([
    {
      ...base,
      bucket: at("10:00:00"),
      device_id: 1,
      samples: 3,
      cpu_pct_avg: 20,
      cpu_pct_max: 30,
      load_1_avg: 2,
      load_1_max: 3,
      mem_used_bytes_avg: 2000,
      mem_used_bytes_max: 3000,
      swap_used_bytes_max: 50,
      process_count_max: 120,
    },
    {
      ...base,
      bucket: at("11:00:00"),
      device_id: 1,
      samples: 1,
      cpu_pct_avg: 50,
      cpu_pct_max: 50,
      load_1_avg: 0.5,
      load_1_max: 0.5,
      mem_used_bytes_avg: 500,
      mem_used_bytes_max: 500,
      swap_used_bytes_max: 5,
      process_count_max: 90,
    },
    {
      bucket: at("10:00:00"),
      device_id: 2,
      samples: 1,
      cpu_pct_avg: null,
      cpu_pct_max: null,
      load_1_avg: 4,
      load_1_max: 4,
      mem_used_bytes_avg: 4000,
      mem_used_bytes_max: 4000,
      mem_total_bytes: 16_000,
      swap_used_bytes_max: 0,
      process_count_max: 100,
    },
  ]);
  const daily = await readRollup(sql, "system_metrics_daily");
  expect(
    daily.map((r) => [r.device_id, r.bucket, r.samples, r.cpu_pct_avg, r.cpu_pct_max, r.load_1_max]),
  ).toEqual([
    [1, at("00:00:00"), 4, 30, 50, 3],
    [2, at("00:00:00"), 1, null, null, 4],
  ]);

  // A late sample after an outage: the ingest reports its time, the whole bucket is recomputed.
  await insertSamples(sql, [
    { device_id: 1, time: at("10:50:00"), cpu_pct: 80, load_1: 5, mem_used_bytes: 7000, process_count: 130 },
  ]);
  const late = at("10:50:00");
  expect(await refreshRollups(sql, { from: late, to: new Date(late.getTime() + 1) })).toEqual({
    hourly: 1,
    daily: 1,
  });
  const [hour10] = await readRollup(sql, "system_metrics_hourly");
  expect(hour10).toMatchObject({
    samples: 4,
    cpu_pct_avg: 40,
    cpu_pct_max: 80,
    load_1_avg: 2.75,
    load_1_max: 5,
  });
  expect(hour10).toMatchObject({
    mem_used_bytes_avg: 3250,
    mem_used_bytes_max: 7000,
    process_count_max: 130,
  });
  const [day1] = await readRollup(sql, "system_metrics_daily");
  expect(day1).toMatchObject({ samples: 5, cpu_pct_avg: (10 + 30 + 50 + 80) / 4, cpu_pct_max: 80 });

  // Refreshing what did not change rewrites nothing; an empty range does nothing.
  expect(await refreshRollups(sql, { from: at("00:00:00"), to: at("23:00:00") })).toEqual({
    hourly: 0,
    daily: 0,
  });
  expect(await refreshRollups(sql, { from: at("12:00:00"), to: at("12:00:00") })).toEqual({
    hourly: 0,
    daily: 0,
  });
});

test("the plain rollups equal the continuous aggregates' own queries over the same rows", async () => {
  const own = await migratedDatabase(pg);
  const { sql } = own;
  // Three devices, a sample every 7 minutes over three days, with gaps in cpu_pct. Integers and eighths
  // sum exactly in any order, so both sides' averages are bit-identical whatever plan each one gets.
  const start = Date.parse("2026-03-01T22:00:00Z");
  const samples = Array.from({ length: 3 * 24 * 9 }, (_, i) => ({
    device_id: 1 + (i % 3),
    time: new Date(start + i * 7 * 60_000),
    cpu_pct: i % 5 === 0 ? null : (i * 37) % 100,
    load_1: ((i * 13) % 40) / 8,
    mem_used_bytes: 1_000_000 + ((i * 7919) % 50_000),
    swap_used_bytes: i % 11,
    process_count: 100 + (i % 17),
  }));
  await insertSamples(sql, samples);
  await refreshRollups(sql, { from: new Date(start), to: new Date(start + 4 * 86_400_000) });
  const names = (await readdir(MIGRATIONS_DIR)).filter((n) => n.endsWith(".timescaledb.sql"));
  const text = (await Promise.all(names.map((n) => readFile(join(MIGRATIONS_DIR, n), "utf8")))).join("\n");
  const aggregates = lintTimescaledb(text).aggregates;
  expect(aggregates.length).toBe(2);
  for (const agg of aggregates) {
    const fromCagg = await sql.unsafe(`SELECT * FROM (${agg.query}) q ORDER BY device_id, bucket`);
    const fromTable = await sql.unsafe(`SELECT * FROM ${agg.name} ORDER BY device_id, bucket`);
    expect(fromTable.length).toBeGreaterThan(0);
    expect([agg.name, [...fromTable]]).toEqual([agg.name, [...fromCagg]]);
  }
  await sql.end();
});
