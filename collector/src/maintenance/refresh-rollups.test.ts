import { afterAll, beforeAll, expect, test } from "bun:test";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  migratedDatabase,
  type TestDatabase,
  type TestPostgres,
} from "@infrastructor/lib/testing/databases.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import { MIGRATIONS_DIR } from "../../../sql/src/migrate.ts";
import { lintTimescaledb } from "../../../sql/src/testing/lint-timescaledb.ts";
import { refreshRollups } from "./refresh-rollups.ts";
import { insertSamples, type RollupRow, readRollup, type Sample } from "./testing/samples.ts";

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

type Row = [
  device: number,
  time: string,
  cpu: number | null,
  load: number,
  mem: number,
  swap: number,
  procs: number,
];

function samples(rows: Row[], memTotal = 8000): Sample[] {
  return rows.map(([device_id, time, cpu_pct, load_1, mem_used_bytes, swap_used_bytes, process_count]) => ({
    device_id,
    time: at(time),
    cpu_pct,
    load_1,
    mem_used_bytes,
    mem_total_bytes: memTotal,
    swap_used_bytes,
    process_count,
  }));
}

/** A rollup row as [device, bucket, samples, cpu avg, cpu max, load avg, load max, mem avg, mem max, total, swap max, procs max]. */
function flat(r: RollupRow): unknown[] {
  return [
    r.device_id,
    r.bucket,
    r.samples,
    r.cpu_pct_avg,
    r.cpu_pct_max,
    r.load_1_avg,
    r.load_1_max,
    r.mem_used_bytes_avg,
    r.mem_used_bytes_max,
    r.mem_total_bytes,
    r.swap_used_bytes_max,
    r.process_count_max,
  ];
}

test("hourly and daily rollups: count, avg and max of the buckets overlapping the range, late rows folded in", async () => {
  const { sql } = db;
  await insertSamples(sql, [
    ...samples([
      [1, "10:00:00", 10, 1, 1000, 0, 100],
      [1, "10:20:00", 30, 3, 3000, 50, 120],
      [1, "10:40:00", null, 2, 2000, 10, 110],
      [1, "11:30:00", 50, 0.5, 500, 5, 90],
    ]),
    ...samples([[2, "10:10:00", null, 4, 4000, 0, 100]], 16_000),
    // Outside the range and its buckets: stays unrolled.
    { device_id: 1, time: new Date("2026-01-11T01:00:00Z"), cpu_pct: 99 },
  ]);

  expect(await refreshRollups(sql, { from: at("10:15:00"), to: at("11:05:00") })).toEqual({
    hourly: 3,
    daily: 2,
  });
  expect((await readRollup(sql, "system_metrics_hourly")).map(flat)).toEqual([
    [1, at("10:00:00"), 3, 20, 30, 2, 3, 2000, 3000, 8000, 50, 120],
    [1, at("11:00:00"), 1, 50, 50, 0.5, 0.5, 500, 500, 8000, 5, 90],
    [2, at("10:00:00"), 1, null, null, 4, 4, 4000, 4000, 16_000, 0, 100],
  ]);
  expect((await readRollup(sql, "system_metrics_daily")).map(flat)).toEqual([
    [1, at("00:00:00"), 4, 30, 50, 1.625, 3, 1625, 3000, 8000, 50, 120],
    [2, at("00:00:00"), 1, null, null, 4, 4, 4000, 4000, 16_000, 0, 100],
  ]);

  // A late sample after an outage: the ingest reports its time, the whole bucket is recomputed.
  await insertSamples(sql, samples([[1, "10:50:00", 80, 5, 7000, 0, 130]]));
  const late = at("10:50:00");
  const refreshed = await refreshRollups(sql, { from: late, to: new Date(late.getTime() + 1) });
  expect(refreshed).toEqual({ hourly: 1, daily: 1 });
  const [hour10] = await readRollup(sql, "system_metrics_hourly");
  expect(hour10 && flat(hour10)).toEqual([1, at("10:00:00"), 4, 40, 80, 2.75, 5, 3250, 7000, 8000, 50, 130]);
  const [day1] = await readRollup(sql, "system_metrics_daily");
  expect(day1 && flat(day1)).toEqual([1, at("00:00:00"), 5, 42.5, 80, 2.3, 5, 2700, 7000, 8000, 50, 130]);

  // Refreshing what did not change rewrites nothing; an empty range does nothing.
  const nothing = { hourly: 0, daily: 0 };
  expect(await refreshRollups(sql, { from: at("00:00:00"), to: at("23:00:00") })).toEqual(nothing);
  expect(await refreshRollups(sql, { from: at("12:00:00"), to: at("12:00:00") })).toEqual(nothing);
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
