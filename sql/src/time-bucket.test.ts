import { afterAll, beforeAll, expect, test } from "bun:test";
import {
  migratedDatabase,
  type TestDatabase,
  type TestPostgres,
} from "@infrastructor/lib/testing/databases.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";

// The plain flavor's time_bucket(interval, timestamptz) must bucket exactly like TimescaleDB's: in UTC,
// whatever the session time zone, with weeks starting on Monday (origin 2000-01-03).

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

/** Counts the sample timestamps whose bucket differs from date_trunc's UTC answer. */
async function disagreements(width: string, unit: string, timezone: string): Promise<number> {
  const [row] = await db.sql.begin(async (tx) => {
    await tx`SELECT set_config('timezone', ${timezone}, true)`;
    return tx<{ n: number }[]>`
      SELECT count(*)::int AS n
      FROM generate_series(
        timestamptz '1999-06-30 17:45:00+00', timestamptz '2031-01-01 00:00:00+00', interval '7 hours 13 minutes 11.5 seconds'
      ) AS ts
      WHERE time_bucket(${width}::interval, ts) IS DISTINCT FROM date_trunc(${unit}, ts, 'UTC')
    `;
  });
  return row?.n ?? -1;
}

for (const timezone of ["UTC", "America/New_York", "Asia/Kolkata"]) {
  test(`'1 hour', '1 day', '1 week', '1 month', '1 year' agree with date_trunc in UTC (session ${timezone})`, async () => {
    expect(await disagreements("1 hour", "hour", timezone)).toBe(0);
    expect(await disagreements("1 day", "day", timezone)).toBe(0);
    expect(await disagreements("1 week", "week", timezone)).toBe(0);
    expect(await disagreements("1 month", "month", timezone)).toBe(0);
    expect(await disagreements("1 year", "year", timezone)).toBe(0);
  });
}

test("other widths count from TimescaleDB's origins", async () => {
  const [row] = await db.sql`
    SELECT
      time_bucket('15 minutes', timestamptz '2026-05-04 10:44:59.999+00') AS quarter,
      time_bucket('2 days', timestamptz '2000-01-04 12:00+00') AS two_days,
      time_bucket('3 months', timestamptz '2026-06-30 23:59+00') AS quarter_year,
      time_bucket('1 day', timestamptz '1999-12-31 23:00+00') AS before_origin,
      time_bucket('1 hour', timestamptz 'infinity')::text AS inf,
      time_bucket('1 month', timestamptz '-infinity')::text AS minus_inf,
      time_bucket('1 hour', NULL::timestamptz) AS none
  `;
  expect(row).toEqual({
    quarter: new Date("2026-05-04T10:30:00Z"),
    two_days: new Date("2000-01-03T00:00:00Z"),
    quarter_year: new Date("2026-04-01T00:00:00Z"),
    before_origin: new Date("1999-12-31T00:00:00Z"),
    inf: "infinity",
    minus_inf: "-infinity",
    none: null,
  });
});

test("widths TimescaleDB refuses are refused", async () => {
  for (const width of ["1 month 1 day", "0", "-1 hour"]) {
    const err = await db.sql`SELECT time_bucket(${width}::interval, now())`.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect([width, err]).toEqual([width, expect.any(Error)]);
  }
});

test("the planner inlines it, so an index on time stays usable", async () => {
  const plan = await db.sql`
    EXPLAIN (VERBOSE, COSTS OFF) SELECT time_bucket('1 hour', time) FROM system_metrics
  `;
  const text = plan.map((r) => r["QUERY PLAN"]).join("\n");
  expect(text).toContain("date_bin");
  expect(text).not.toContain("time_bucket");
});
