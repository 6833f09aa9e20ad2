/**
 * Turns a Grafana PostgreSQL panel query into the SQL Grafana sends to the database, so tests can run
 * the dashboards' queries. Two passes, in Grafana's order:
 * 1. the browser's template variables: `$var`, `${var}`, `${var:format}`, `[[var]]`, and the built-ins
 *    `$__interval`, `$__interval_ms`, `$__from`, `$__to` (a SQL data source quotes a multi-value or
 *    include-All variable's values as literals, and only escapes a single-value one);
 * 2. the server's macros (pkg/tsdb/grafana-postgresql-datasource/macros.go): `$__time`, `$__timeEpoch`,
 *    `$__timeFilter`, `$__timeFrom`, `$__timeTo`, `$__timeGroup` (time_bucket() when the data source has
 *    TimescaleDB on), `$__timeGroupAlias`, `$__unixEpochFilter`, `$__unixEpochFrom`/`To`, `$__unixEpochGroup`.
 * Anything else that looks like a macro or a variable is an error: a dashboard typo must fail the test,
 * where Grafana would leave the text in place and send broken SQL.
 */
export interface GrafanaVariable {
  /** One value, or several (multi-select, or All expanded to every option). */
  value: string | string[];
  /** Multi-select or include-All: Grafana quotes the values as SQL literals. */
  quoted: boolean;
}

export interface ExpandOptions {
  from: Date;
  to: Date;
  /** The panel's interval ($__interval), e.g. from `grafanaInterval`. */
  intervalMs: number;
  /** The data source's jsonData.timescaledb: $__timeGroup becomes time_bucket(). */
  timescaledb: boolean;
  variables: Record<string, GrafanaVariable>;
}

const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?::([^}]+))?\}/g;
const MACRO = /\$([_a-zA-Z0-9]+)\(([^)]*)\)/g;

export function expandGrafanaQuery(sql: string, options: ExpandOptions): string {
  const expanded = expandMacros(expandVariables(sql, options), options);
  const left = /\$__\w+/.exec(expanded);
  if (left) throw new Error(`unknown macro or built-in ${left[0]} in: ${sql}`);
  return expanded;
}

export function expandVariables(sql: string, options: ExpandOptions): string {
  return sql.replace(
    VARIABLE,
    (
      whole,
      plain?: string,
      bracket?: string,
      bracketFormat?: string,
      braced?: string,
      bracedFormat?: string,
    ) => {
      const name = plain ?? bracket ?? braced ?? "";
      const format = bracketFormat ?? bracedFormat;
      const builtIn = builtInVariable(name, options);
      if (builtIn !== undefined) return builtIn;
      // Macros belong to the second pass; Grafana's templating leaves every `__` name it does not know.
      if (name.startsWith("__")) return whole;
      const variable = options.variables[name];
      if (variable === undefined) throw new Error(`unknown variable ${whole} in: ${sql}`);
      return formatVariable(variable, format, whole);
    },
  );
}

function builtInVariable(name: string, { from, to, intervalMs }: ExpandOptions): string | undefined {
  switch (name) {
    case "__interval":
      return formatInterval(intervalMs);
    case "__interval_ms":
      return String(intervalMs);
    case "__from":
      return String(from.getTime());
    case "__to":
      return String(to.getTime());
    default:
      return undefined;
  }
}

const quoteLiteral = (value: string): string => `'${value.replaceAll("'", "''")}'`;

function formatVariable(variable: GrafanaVariable, format: string | undefined, whole: string): string {
  const values = Array.isArray(variable.value) ? variable.value : [variable.value];
  switch (format) {
    case undefined:
      // The SQL data sources' interpolateVariable.
      if (Array.isArray(variable.value) || variable.quoted) return values.map(quoteLiteral).join(",");
      return values.map((v) => v.replaceAll("'", "''")).join(",");
    case "raw":
      return values.join(",");
    case "csv":
      return values.join(",");
    case "singlequote":
      return values.map((v) => `'${v.replaceAll("'", "\\'")}'`).join(",");
    case "sqlstring":
      return values.map(quoteLiteral).join(",");
    default:
      throw new Error(`unsupported variable format in ${whole}`);
  }
}

export function expandMacros(sql: string, options: ExpandOptions): string {
  return sql.replace(MACRO, (whole, name: string, argText: string, offset: number) => {
    const args = argText.split(",").map((a) => a.trim());
    // Grafana before 5.3 aliased $__timeGroup; it still does when a comma follows the call.
    const effective =
      name === "__timeGroup" && sql[offset + whole.length] === "," ? "__timeGroupAlias" : name;
    return evaluateMacro(effective, args, options, whole);
  });
}

function evaluateMacro(name: string, args: string[], options: ExpandOptions, whole: string): string {
  const { from, to } = options;
  const column = (): string => {
    if (!args[0]) throw new Error(`missing time column argument in ${whole}`);
    return args[0];
  };
  const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);
  switch (name) {
    case "__time":
      return `${column()} AS "time"`;
    case "__timeEpoch":
      return `extract(epoch from ${column()}) as "time"`;
    case "__timeFilter":
      return `${column()} BETWEEN '${rfc3339(from)}' AND '${rfc3339(to)}'`;
    case "__timeFrom":
      return `'${rfc3339(from)}'`;
    case "__timeTo":
      return `'${rfc3339(to)}'`;
    case "__timeGroup": {
      const s = groupSeconds(args, whole);
      return options.timescaledb
        ? `time_bucket('${s.toFixed(3)}s',${column()})`
        : `floor(extract(epoch from ${column()})/${s})*${s}`;
    }
    case "__timeGroupAlias":
      return `${evaluateMacro("__timeGroup", args, options, whole)} AS "time"`;
    case "__unixEpochFilter":
      return `${column()} >= ${seconds(from)} AND ${column()} <= ${seconds(to)}`;
    case "__unixEpochFrom":
      return String(seconds(from));
    case "__unixEpochTo":
      return String(seconds(to));
    case "__unixEpochGroup": {
      const s = groupSeconds(args, whole);
      return `floor((${column()})/${s})*${s}`;
    }
    case "__unixEpochGroupAlias":
      return `${evaluateMacro("__unixEpochGroup", args, options, whole)} AS "time"`;
    default:
      throw new Error(`unknown macro ${whole}`);
  }
}

function groupSeconds(args: string[], whole: string): number {
  if (args.length < 2) throw new Error(`${whole} needs a time column and an interval`);
  // A third argument (fill mode) only changes how Grafana fills gaps in the result, not the SQL.
  const ms = parseInterval((args[1] ?? "").replace(/^'|'$/g, ""));
  if (ms === null) throw new Error(`bad interval in ${whole}`);
  return ms / 1000;
}

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  M: 30 * 86_400_000,
  y: 365 * 86_400_000,
};

/** Grafana's gtime.ParseInterval for the forms dashboards use: `500ms`, `15s`, `5m`, `1h`, `1d`, `1w`. */
export function parseInterval(text: string): number | null {
  const m = /^(\d+)(ms|s|m|h|d|w|M|y)$/.exec(text);
  const unit = m?.[2];
  return m && unit ? Number(m[1]) * (UNIT_MS[unit] ?? 0) : null;
}

/** gtime.FormatInterval: the largest whole unit (`1h`, `20s`, `500ms`). */
export function formatInterval(ms: number): string {
  for (const unit of ["y", "w", "d", "h", "m", "s"] as const) {
    const size = UNIT_MS[unit] ?? 1;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** Go's RFC3339Nano in UTC: no fraction when it is zero. */
function rfc3339(d: Date): string {
  return d.toISOString().replace(".000Z", "Z");
}

const NICE_MS = [1, 5, 10, 15, 20, 30, 60, 300, 600, 900, 1800, 3600, 10_800, 21_600, 43_200, 86_400].map(
  (s) => s * 1000,
);

/**
 * The interval Grafana gives a panel: the range over its data points, rounded up to a round step, and
 * never below the data source's minimum (jsonData.timeInterval). Close to Grafana's rounding, not exact.
 */
export function grafanaInterval(from: Date, to: Date, minMs: number, maxDataPoints = 1000): number {
  const raw = Math.max((to.getTime() - from.getTime()) / maxDataPoints, minMs);
  return NICE_MS.find((step) => step >= raw) ?? raw;
}
