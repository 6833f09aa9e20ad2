/**
 * The application's TimescaleDB-only queries (infra://config, the rollup refresh) cannot run here, so
 * they are checked as text, as the migration is by lint-timescaledb.ts:
 * - every timescaledb_information view they read exists, under an alias, and every alias.column they
 *   use is a column of that view (the columns every 2.x release has: timescale/timescaledb
 *   sql/views.sql, 2.0 onwards; later releases only add columns);
 * - a policy read from `jobs` is reported by its table's name: `jobs.hypertable_name` of a policy on a
 *   continuous aggregate is its internal materialization hypertable, so the query must map it back
 *   through continuous_aggregates.materialization_hypertable_name -> view_name;
 * - refresh_continuous_aggregate is a procedure: CALL, never SELECT, and only on an aggregate the
 *   migrations create;
 * - nothing names TimescaleDB's internal schemas or tables, which change between releases.
 */
export const INFORMATION_VIEWS: Record<string, readonly string[]> = {
  jobs: [
    "job_id",
    "application_name",
    "schedule_interval",
    "max_runtime",
    "max_retries",
    "retry_period",
    "proc_schema",
    "proc_name",
    "owner",
    "scheduled",
    "config",
    "next_start",
    "hypertable_schema",
    "hypertable_name",
  ],
  continuous_aggregates: [
    "hypertable_schema",
    "hypertable_name",
    "view_schema",
    "view_name",
    "view_owner",
    "materialized_only",
    "compression_enabled",
    "materialization_hypertable_schema",
    "materialization_hypertable_name",
    "view_definition",
  ],
  hypertables: [
    "hypertable_schema",
    "hypertable_name",
    "owner",
    "num_dimensions",
    "num_chunks",
    "compression_enabled",
    "tablespaces",
  ],
};

/** `aggregates`: the continuous aggregates the migrations create (lintTimescaledb(...).aggregates). */
export function lintTimescaledbQuery(text: string, aggregates: readonly string[]): string[] {
  const sqlText = text.replace(/--[^\n]*/g, "").replace(/\s+/g, " ");
  const problems: string[] = [];
  const aliases = new Map<string, string>();
  for (const m of sqlText.matchAll(/timescaledb_information\.(\w+)(?:\s+(?:AS\s+)?(\w+))?/gi)) {
    const [, view = "", alias] = m;
    if (INFORMATION_VIEWS[view] === undefined) problems.push(`timescaledb_information.${view}: no such view`);
    else if (alias === undefined || /^(ON|WHERE|JOIN|LEFT|ORDER|GROUP|LIMIT)$/i.test(alias))
      problems.push(`timescaledb_information.${view}: give it an alias and qualify its columns`);
    else aliases.set(alias, view);
  }
  for (const m of sqlText.matchAll(/\b(\w+)\.(\w+)\b/g)) {
    const [, alias = "", column = ""] = m;
    const view = aliases.get(alias);
    if (view !== undefined && !INFORMATION_VIEWS[view]?.includes(column))
      problems.push(`${alias}.${column}: timescaledb_information.${view} has no column ${column}`);
  }
  for (const [alias, view] of aliases) {
    if (view !== "jobs" || !new RegExp(`\\b${alias}\\.hypertable_name\\b`).test(sqlText)) continue;
    const mapped = [...aliases].some(
      ([other, v]) =>
        v === "continuous_aggregates" &&
        new RegExp(`\\b${other}\\.materialization_hypertable_name\\b`).test(sqlText) &&
        new RegExp(`\\b${other}\\.view_name\\b`).test(sqlText),
    );
    if (!mapped)
      problems.push(
        `${alias}.hypertable_name is _materialized_hypertable_N for a continuous aggregate's policies: map it through continuous_aggregates (materialization_hypertable_name -> view_name)`,
      );
  }
  for (const m of sqlText.matchAll(/(\w+)?\s*\brefresh_continuous_aggregate\s*\(\s*('?)([\w$:]+)/gi)) {
    const [, verb = "", quote, target = ""] = m;
    if (verb.toUpperCase() !== "CALL") problems.push("refresh_continuous_aggregate is a procedure: CALL it");
    if (quote === "'" && !aggregates.includes(target))
      problems.push(
        `refresh_continuous_aggregate('${target}'): not a continuous aggregate of the migrations`,
      );
  }
  const internal = /\b(_timescaledb_\w+|_materialized_hypertable_\d*)/i.exec(sqlText);
  if (internal !== null)
    problems.push(`names TimescaleDB's internals (${internal[1]}): they change between releases`);
  return problems;
}
