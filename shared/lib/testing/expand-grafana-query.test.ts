// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${var} is Grafana's variable syntax under test, not a template literal
import { describe, expect, test } from "bun:test";
import {
  type ExpandOptions,
  expandGrafanaQuery,
  formatInterval,
  grafanaInterval,
  parseInterval,
} from "./expand-grafana-query.ts";

const options: ExpandOptions = {
  from: new Date("2026-11-25T06:00:00Z"),
  to: new Date("2026-11-25T12:00:00.250Z"),
  intervalMs: 30_000,
  timescaledb: true,
  variables: {
    host: { value: "nas", quoted: false },
    hosts: { value: ["nas", "o'brien"], quoted: true },
    window: { value: "45s", quoted: false },
  },
};
const expand = (sql: string, over: Partial<ExpandOptions> = {}): string =>
  expandGrafanaQuery(sql, { ...options, ...over });

describe("expandGrafanaQuery: macros as Grafana's PostgreSQL data source expands them", () => {
  test("time filters and bounds, in RFC 3339 UTC (a fraction only when there is one)", () => {
    expect(expand("WHERE $__timeFilter(m.time)")).toBe(
      "WHERE m.time BETWEEN '2026-11-25T06:00:00Z' AND '2026-11-25T12:00:00.250Z'",
    );
    expect(expand("$__timeFrom() $__timeTo()")).toBe("'2026-11-25T06:00:00Z' '2026-11-25T12:00:00.250Z'");
    expect(expand("$__unixEpochFilter(t) $__unixEpochFrom() $__unixEpochTo()")).toBe(
      "t >= 1795586400 AND t <= 1795608000 1795586400 1795608000",
    );
    expect(expand("$__time(bucket), $__timeEpoch(bucket)")).toBe(
      `bucket AS "time", extract(epoch from bucket) as "time"`,
    );
  });

  test("$__timeGroup is time_bucket() with TimescaleDB on, epoch arithmetic without", () => {
    expect(expand("$__timeGroupAlias(time, $__interval)")).toBe(`time_bucket('30.000s',time) AS "time"`);
    expect(expand("$__timeGroup(time, '5m') AS t")).toBe("time_bucket('300.000s',time) AS t");
    expect(expand("$__timeGroup(time, 1h, NULL) AS t", { timescaledb: false })).toBe(
      "floor(extract(epoch from time)/3600)*3600 AS t",
    );
    expect(expand("$__unixEpochGroupAlias(ts, 10s)")).toBe(`floor((ts)/10)*10 AS "time"`);
  });

  test("a comma right after $__timeGroup makes it $__timeGroupAlias (Grafana's pre-5.3 rule)", () => {
    expect(expand("SELECT $__timeGroup(time, 1m), avg(x)")).toBe(
      `SELECT time_bucket('60.000s',time) AS "time", avg(x)`,
    );
  });

  test("interval built-ins", () => {
    expect(expand("$__interval $__interval_ms $__from $__to")).toBe("30s 30000 1795586400000 1795608000250");
  });

  test("unknown macros, missing arguments and bad intervals are errors", () => {
    expect(() => expand("$__timeFiltr(time)")).toThrow(/unknown macro/);
    expect(() => expand("$__timeGroup(time)")).toThrow(/needs a time column and an interval/);
    expect(() => expand("$__timeGroup(time, 5 minutes)")).toThrow(/bad interval/);
    expect(() => expand("$__timeFilter()")).toThrow(/missing time column/);
  });
});

describe("expandGrafanaQuery: template variables as a SQL data source formats them", () => {
  test("a single-value variable is escaped but not quoted; the query quotes it", () => {
    expect(expand("hostname = '$host' AND x = '${host}' AND y = '[[host]]'")).toBe(
      "hostname = 'nas' AND x = 'nas' AND y = 'nas'",
    );
    expect(expand("'$host'", { variables: { host: { value: "o'brien", quoted: false } } })).toBe(
      "'o''brien'",
    );
  });

  test("multi-value and include-All variables become a list of quoted literals", () => {
    expect(expand("hostname IN ($hosts)")).toBe("hostname IN ('nas','o''brien')");
    expect(expand("IN ($host)", { variables: { host: { value: "nas", quoted: true } } })).toBe("IN ('nas')");
  });

  test("explicit formats", () => {
    expect(expand("${hosts:csv}|${hosts:raw}|${hosts:sqlstring}|${hosts:singlequote}")).toBe(
      "nas,o'brien|nas,o'brien|'nas','o''brien'|'nas','o\\'brien'",
    );
    expect(() => expand("${hosts:regex}")).toThrow(/unsupported variable format/);
  });

  test("a variable used inside an interval literal", () => {
    expect(expand("now() - interval '$window'")).toBe("now() - interval '45s'");
  });

  test("an undefined variable is an error, not left in the SQL", () => {
    expect(() => expand("hostname = '$hots'")).toThrow(/unknown variable \$hots/);
  });
});

describe("intervals", () => {
  test("parse and format like gtime", () => {
    expect(parseInterval("500ms")).toBe(500);
    expect(parseInterval("15s")).toBe(15_000);
    expect(parseInterval("1w")).toBe(604_800_000);
    expect(parseInterval("5 m")).toBeNull();
    expect(formatInterval(3_600_000)).toBe("1h");
    expect(formatInterval(90_000)).toBe("90s");
    expect(formatInterval(250)).toBe("250ms");
  });

  test("a panel's interval: range over data points, rounded up, at least the data source's minimum", () => {
    const to = new Date("2026-11-25T12:00:00Z");
    const hoursAgo = (h: number): Date => new Date(to.getTime() - h * 3_600_000);
    expect(grafanaInterval(hoursAgo(6), to, 15_000)).toBe(30_000);
    expect(grafanaInterval(hoursAgo(1), to, 15_000)).toBe(15_000);
    expect(grafanaInterval(hoursAgo(30 * 24), to, 15_000)).toBe(3_600_000);
  });
});
