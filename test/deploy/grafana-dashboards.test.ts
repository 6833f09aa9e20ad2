import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join, resolve } from "node:path";
import { type DashboardFleet, startDashboardFleet } from "@infrastructor/lib/testing/dashboard-fleet.ts";
import {
  expandGrafanaQuery,
  type GrafanaVariable,
  grafanaInterval,
  parseInterval,
} from "@infrastructor/lib/testing/expand-grafana-query.ts";
import {
  type Dashboard,
  type PanelQuery,
  panelQueries,
  readDashboards,
  referencedColumns,
  variableQuery,
} from "@infrastructor/lib/testing/grafana-dashboard.ts";
import { connectAsGrafanaReader, runGrafanaReaderScript } from "@infrastructor/lib/testing/grafana-reader.ts";
import type { Sql } from "postgres";

/**
 * Every SQL query of every provisioned dashboard, expanded as Grafana expands it (with the provisioned
 * data source's settings), run as grafana_reader on a database the real pipeline filled, over a
 * 6-hour and a 30-day range (the host panels switch to the hourly rollup beyond 2 days). Every query
 * must run, return rows (the seed has data for every panel), and return what its panel draws.
 */
const repo = resolve(import.meta.dir, "../..");
const dashboards = await readDashboards(join(repo, "deploy/grafana/dashboards"));
const datasource = (
  Bun.YAML.parse(
    await Bun.file(join(repo, "deploy/grafana/provisioning/datasources/infrastructor.yaml")).text(),
  ) as {
    datasources: { jsonData: { timescaledb: boolean; timeInterval: string } }[];
  }
).datasources[0]?.jsonData;
const minIntervalMs = parseInterval(datasource?.timeInterval ?? "") ?? 0;

const RANGES = { "6h": 6 * 3_600_000, "30d": 30 * 86_400_000 } as const;
const NUMERIC = new Set([20, 21, 23, 700, 701, 1700]);
const TEXT = new Set([25, 1043, 19]);
const TIMESTAMP = new Set([1114, 1184]);

/** What the seed makes certain for the fleet overview's counters (router is silent, nas is in trouble). */
const FLEET_COUNTS: Record<string, (n: number) => boolean> = {
  reporting: (n) => n === 2,
  not_reporting: (n) => n === 1,
  drives_not_ok: (n) => n >= 1,
  pools_not_online: (n) => n >= 1,
  security_updates: (n) => n >= 1,
  backups_not_ok: (n) => n >= 1,
};

let fleet: DashboardFleet;
let reader: Sql;

beforeAll(async () => {
  fleet = await startDashboardFleet();
  const { pg } = fleet.harness.servers;
  const run = await runGrafanaReaderScript(pg, "grafana-reader-test");
  if (run.exitCode !== 0) throw new Error(`grafana reader script: ${run.stderr}`);
  reader = connectAsGrafanaReader(pg);
});
afterAll(async () => {
  await reader?.end();
  await fleet?.destroy();
});

interface Run {
  sql: string;
  rows: Record<string, unknown>[];
  columns: { name: string; type: number }[];
}

async function run(sql: string): Promise<Run> {
  const result = await reader.unsafe(sql).catch((err) => {
    throw new Error(`${err.message}\n${sql}`);
  });
  return { sql, rows: [...result], columns: result.columns.map((c) => ({ name: c.name, type: c.type })) };
}

/**
 * The variable values a dashboard is viewed with: a single-value variable once per option (each host
 * in turn), a multi-value one with All selected, a custom one at its current value.
 */
async function variableSets(
  dashboard: Dashboard,
  base: ExpandBase,
): Promise<Record<string, GrafanaVariable>[]> {
  let sets: Record<string, GrafanaVariable>[] = [{}];
  for (const v of dashboard.templating.list) {
    const next: Record<string, GrafanaVariable>[] = [];
    for (const variables of sets) {
      const query = variableQuery(v);
      if (query === null) {
        if (v.type === "custom")
          next.push({ ...variables, [v.name]: { value: v.current.value, quoted: v.multi } });
        continue;
      }
      const { rows } = await run(expandGrafanaQuery(query, { ...base, variables }));
      const options = rows.map((r) => String(Object.values(r)[0]));
      expect(options.length).toBeGreaterThan(0);
      if (v.multi || v.includeAll) next.push({ ...variables, [v.name]: { value: options, quoted: true } });
      else for (const o of options) next.push({ ...variables, [v.name]: { value: o, quoted: false } });
    }
    sets = next;
  }
  return sets;
}

type ExpandBase = { from: Date; to: Date; intervalMs: number; timescaledb: boolean };

async function runPanelQuery(dashboard: Dashboard, query: PanelQuery, rangeMs: number): Promise<Run[]> {
  const to = new Date();
  const from = new Date(to.getTime() - rangeMs);
  const base = {
    from,
    to,
    intervalMs: grafanaInterval(from, to, minIntervalMs),
    timescaledb: datasource?.timescaledb ?? false,
  };
  const runs: Run[] = [];
  for (const variables of await variableSets(dashboard, base)) {
    runs.push(await run(expandGrafanaQuery(query.sql, { ...base, variables })));
  }
  return runs;
}

function expectTimeSeries(runs: Run[], title: string): void {
  for (const { columns, rows, sql } of runs) {
    const time = columns.find((c) => c.name === "time");
    expect({ title, time: time !== undefined && TIMESTAMP.has(time.type) }).toEqual({ title, time: true });
    const values = columns.filter((c) => c.name !== "time" && c.name !== "metric");
    expect(values.length).toBeGreaterThan(0);
    for (const c of values)
      expect({ title, column: c.name, numeric: NUMERIC.has(c.type) }).toMatchObject({ numeric: true });
    const metric = columns.find((c) => c.name === "metric");
    if (metric) expect(TEXT.has(metric.type)).toBe(true);
    // Grafana needs a time series sorted by time.
    const times = rows.map((r) => (r.time as Date).getTime());
    expect({ sql, sorted: times.every((t, i) => i === 0 || (times[i - 1] ?? 0) <= t) }).toEqual({
      sql,
      sorted: true,
    });
  }
  // Rows of only NULLs would draw an empty panel.
  const numbers = runs.flatMap(({ rows, columns }) =>
    rows.flatMap((r) => columns.filter((c) => NUMERIC.has(c.type)).map((c) => r[c.name])),
  );
  expect({ title, someValue: numbers.some((v) => v !== null) }).toEqual({ title, someValue: true });
}

function expectTable(runs: Run[], query: PanelQuery): void {
  const expected = referencedColumns(query.panel);
  for (const { columns } of runs) {
    const names = columns.map((c) => c.name);
    for (const name of expected)
      expect({ panel: query.panel.title, names }).toEqual({
        panel: query.panel.title,
        names: expect.arrayContaining([name]),
      });
    if (query.panel.type === "stat") expect(columns.some((c) => NUMERIC.has(c.type))).toBe(true);
  }
}

test("the dashboards have queries to run", () => {
  expect(dashboards.length).toBe(5);
  expect(dashboards.flatMap((d) => panelQueries(d.dashboard)).length).toBeGreaterThan(40);
});

for (const { file, dashboard } of dashboards) {
  describe(file, () => {
    for (const query of panelQueries(dashboard)) {
      test(`${query.panel.title} (${query.panel.type}, ${query.format})`, async () => {
        for (const [range, ms] of Object.entries(RANGES)) {
          const runs = await runPanelQuery(dashboard, query, ms);
          const rowCount = runs.reduce((n, r) => n + r.rows.length, 0);
          expect({ range, panel: query.panel.title, hasRows: rowCount > 0 }).toEqual({
            range,
            panel: query.panel.title,
            hasRows: true,
          });
          if (query.format === "time_series") expectTimeSeries(runs, query.panel.title);
          else expectTable(runs, query);
          if (query.panel.type === "stat" && file === "fleet-overview.json") {
            for (const [column, ok] of Object.entries(FLEET_COUNTS)) {
              const value = runs[0]?.rows[0]?.[column];
              if (value !== undefined)
                expect({ column, value, ok: ok(Number(value)) }).toMatchObject({ ok: true });
            }
          }
        }
      });
    }
  });
}
