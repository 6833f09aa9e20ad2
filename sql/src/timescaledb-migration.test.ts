import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  migratedDatabase,
  type TestDatabase,
  type TestPostgres,
} from "@infrastructor/lib/testing/databases.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import { TIME_SERIES_TABLES } from "../../collector/src/ingest/writers.ts";
import { MIGRATIONS_DIR } from "./migrate.ts";
import { lintTimescaledb } from "./testing/lint-timescaledb.ts";

/**
 * Every table the ingest appends to (each domain writer's time-series tables) must be a hypertable, and
 * nothing else may be: the writers are the list, so a new domain needs no edit here.
 */
const TIME_SERIES = TIME_SERIES_TABLES.map((t) => t.name);

async function timescaledbText(): Promise<string> {
  const names = (await readdir(MIGRATIONS_DIR)).filter((n) => n.endsWith(".timescaledb.sql")).sort();
  const texts = await Promise.all(names.map((n) => readFile(join(MIGRATIONS_DIR, n), "utf8")));
  return texts.join("\n");
}

describe("the TimescaleDB migrations, linted (no TimescaleDB here to run them)", () => {
  test("follow every rule", async () => {
    const report = lintTimescaledb(await timescaledbText());
    expect(report.problems).toEqual([]);
    expect(report.hypertables.sort()).toEqual([...TIME_SERIES].sort());
    expect(report.aggregates.map((a) => [a.name, a.source, a.widthMs])).toEqual([
      ["system_metrics_hourly", "system_metrics", 3_600_000],
      ["system_metrics_daily", "system_metrics", 86_400_000],
    ]);
  });

  test("the linter catches what it is for", async () => {
    const good = await timescaledbText();
    // Each mutation breaks one rule; the linter must name it.
    const mutations: [RegExp | string, string, string][] = [
      ["by_range('time', INTERVAL '1 day')", "by_range('time', INTERVAL '7 days')", "not by_range"],
      [
        "'temperatures', compress_after => INTERVAL '7 days', if_not_exists => true",
        "'temperatures', compress_after => INTERVAL '7 days'",
        "add_compression_policy without if_not_exists",
      ],
      [
        /^/,
        "SELECT add_compression_policy('x', compress_after => INTERVAL '7 days', if_not_exists => true);\n",
        "x: compression policy before",
      ],
      [
        "timescaledb.materialized_only = false",
        "timescaledb.materialized_only = true",
        "materialized_only is not false",
      ],
      [
        "GROUP BY bucket, device_id\nWITH NO DATA",
        "GROUP BY bucket, device_id\nWITH DATA",
        "inside the runner's transaction",
      ],
      [
        "start_offset => INTERVAL '7 days',\n  end_offset => INTERVAL '1 hour',\n  schedule_interval => INTERVAL '1 hour'",
        "start_offset => INTERVAL '1 day',\n  end_offset => INTERVAL '1 hour',\n  schedule_interval => INTERVAL '1 hour'",
        "system_metrics_daily: refresh window covers fewer than 2 buckets",
      ],
      [
        "start_offset => INTERVAL '7 days'",
        "start_offset => INTERVAL '40 days'",
        "past system_metrics's retention",
      ],
    ];
    const broken = mutations.map(([from, to, problem]): [string, string] => [
      good.replace(from, to),
      problem,
    ]);
    for (const [text, problem] of broken) {
      expect(text).not.toBe(good);
      expect(lintTimescaledb(text).problems.join("\n")).toContain(problem);
    }
  });
});

describe("the continuous aggregates' queries, run on plain PostgreSQL", () => {
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

  test("produce exactly the plain rollup tables' columns and types", async () => {
    for (const agg of lintTimescaledb(await timescaledbText()).aggregates) {
      const probe = `probe_${agg.name}`;
      await db.sql.unsafe(`CREATE TEMP TABLE ${probe} AS ${agg.query} WITH NO DATA`);
      const columns = async (table: string): Promise<string[]> => {
        const rows = await db.sql<{ col: string }[]>`
          SELECT attname || ' ' || format_type(atttypid, atttypmod) AS col FROM pg_attribute
          WHERE attrelid = ${table}::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum
        `;
        return rows.map((r) => r.col);
      };
      expect(await columns(probe)).toEqual(await columns(agg.name));
    }
  });
});
