/**
 * TimescaleDB cannot run here, so its migration is checked as text for the rules that matter: every
 * hypertable has 1-day by_range chunks, compression is enabled before its policy, policies are
 * idempotent (if_not_exists), continuous aggregates are real-time and created WITH NO DATA (the only
 * form allowed in the runner's transaction), refresh windows span >= 2 buckets and stay clear of raw
 * retention. Statements are split on `;`, which holds as long as no string literal contains one.
 */
export interface ContinuousAggregate {
  name: string;
  /** The SELECT ... GROUP BY ..., runnable on the plain flavor too (it has time_bucket). */
  query: string;
  source: string;
  widthMs: number;
}

export interface LintReport {
  problems: string[];
  hypertables: string[];
  aggregates: ContinuousAggregate[];
}

const UNIT_MS: Record<string, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
};

export function intervalMs(text: string): number | undefined {
  const m = /^(\d+)\s+(minute|hour|day|week)s?$/i.exec(text.trim());
  const unit = UNIT_MS[m?.[2]?.toLowerCase() ?? ""];
  return m?.[1] === undefined || unit === undefined ? undefined : Number(m[1]) * unit;
}

export function statementsOf(sqlText: string): string[] {
  return sqlText
    .replace(/--[^\n]*/g, "")
    .split(";")
    .map((s) => s.replace(/\s+/g, " ").trim())
    .filter((s) => s !== "");
}

/** Named argument `name => INTERVAL '...'` of a policy call, in ms. */
function argMs(statement: string, name: string): number | undefined {
  const m = new RegExp(`${name} => INTERVAL '([^']+)'`, "i").exec(statement);
  return m?.[1] === undefined ? undefined : intervalMs(m[1]);
}

function policyTarget(statement: string, fn: string): string | undefined {
  return new RegExp(`^SELECT ${fn}\\('(\\w+)'`, "i").exec(statement)?.[1];
}

export function lintTimescaledb(sqlText: string): LintReport {
  const statements = statementsOf(sqlText);
  const problems: string[] = [];
  const hypertables: string[] = [];
  const compressedAt = new Map<string, number>();
  const aggregates: ContinuousAggregate[] = [];
  const policies = (fn: string): Map<string, string> =>
    new Map(
      statements.flatMap((s) => {
        const target = policyTarget(s, fn);
        return target === undefined ? [] : [[target, s] as const];
      }),
    );

  statements.forEach((s, i) => {
    if (/create_hypertable\(/i.test(s)) {
      const m =
        /^SELECT create_hypertable\('(\w+)', by_range\('time', INTERVAL '1 day'\), if_not_exists => true\)$/i.exec(
          s,
        );
      if (m?.[1] === undefined)
        problems.push(`not by_range('time', INTERVAL '1 day') with if_not_exists: ${s}`);
      else hypertables.push(m[1]);
    }
    const compress = /^ALTER TABLE (\w+) SET \(\s*timescaledb\.compress\b/i.exec(s);
    if (compress?.[1] !== undefined) {
      compressedAt.set(compress[1], i);
      if (!/compress_segmentby = '[^']*\bdevice_id\b/i.test(s))
        problems.push(`${compress[1]}: not segmented by device_id`);
    }
    const policy = /^SELECT (add_\w+_policy)\('(\w+)'/i.exec(s);
    if (policy !== null && !/if_not_exists => true\)$/i.test(s))
      problems.push(`${policy[1]} without if_not_exists: ${s}`);
    const compressionTarget = policyTarget(s, "add_compression_policy");
    if (compressionTarget !== undefined && !((compressedAt.get(compressionTarget) ?? Infinity) < i)) {
      problems.push(
        `${compressionTarget}: compression policy before ALTER TABLE ... SET (timescaledb.compress)`,
      );
    }
    if (/refresh_continuous_aggregate|(?<!NO )WITH DATA|^(BEGIN|COMMIT|ROLLBACK)\b/i.test(s)) {
      problems.push(`cannot run inside the runner's transaction: ${s}`);
    }
    const view = /^CREATE MATERIALIZED VIEW (\w+) WITH \(([^)]*)\) AS (SELECT .*?)( WITH NO DATA)?$/i.exec(s);
    if (view?.[1] !== undefined && view[3] !== undefined) {
      const [, name, options = "", query] = view;
      if (!/timescaledb\.continuous\b/i.test(options)) problems.push(`${name}: not timescaledb.continuous`);
      if (!/timescaledb\.materialized_only = false/i.test(options))
        problems.push(`${name}: materialized_only is not false`);
      if (view[4] === undefined) problems.push(`${name}: not created WITH NO DATA`);
      const width = intervalMs(/time_bucket\(INTERVAL '([^']+)', time\)/i.exec(query)?.[1] ?? "");
      const source = /FROM (\w+)/i.exec(query)?.[1] ?? "";
      if (width === undefined) problems.push(`${name}: no time_bucket(INTERVAL '...', time)`);
      aggregates.push({ name, query, source, widthMs: width ?? 0 });
    } else if (/^CREATE MATERIALIZED VIEW/i.test(s)) problems.push(`unrecognized materialized view: ${s}`);
  });

  const compression = policies("add_compression_policy");
  const retention = policies("add_retention_policy");
  const refresh = policies("add_continuous_aggregate_policy");
  for (const table of hypertables) {
    if (!compression.has(table)) problems.push(`${table}: no compression policy`);
    if (!retention.has(table)) problems.push(`${table}: no retention policy`);
  }
  for (const agg of aggregates) {
    const policy = refresh.get(agg.name);
    if (!retention.has(agg.name)) problems.push(`${agg.name}: no retention policy`);
    if (policy === undefined) {
      problems.push(`${agg.name}: no refresh policy`);
      continue;
    }
    const start = argMs(policy, "start_offset");
    const end = argMs(policy, "end_offset");
    if (start === undefined || end === undefined) {
      problems.push(`${agg.name}: refresh policy offsets not readable`);
      continue;
    }
    if (start - end < 2 * agg.widthMs)
      problems.push(`${agg.name}: refresh window covers fewer than 2 buckets`);
    const rawKept = argMs(retention.get(agg.source) ?? "", "drop_after");
    if (rawKept === undefined || start >= rawKept) {
      problems.push(`${agg.name}: refresh window reaches past ${agg.source}'s retention`);
    }
  }
  return { problems, hypertables, aggregates };
}
