import { PLAUSIBLE_LIMIT_C } from "@infrastructor/domains/system/server/health.ts";
import { FINE_MEMBER_STATES } from "@infrastructor/domains/zfs/views.ts";
import { type RawBuilder, sql } from "kysely";
import type { McpConfig } from "../../config.ts";

/**
 * SQL predicates on a stored payload (latest_state.payload): "the health rules could flag this". The
 * fleet health check loads only those payloads and runs the rules (health-rules.ts) on them; the
 * others stay in the database. Turning 200 zfs payloads into JSON is most of that check's time; a
 * jsonpath test on each is a fraction of it, and in a healthy fleet almost nothing is sent.
 *
 * Each predicate must hold wherever its rule finds something (a superset: holding where the rule then
 * finds nothing only costs a read). health-suspects.test.ts holds each against its rule on captured
 * and mutated payloads. Thresholds are lowered by MARGIN so PostgreSQL's exact numerics and the rules'
 * floating point cannot disagree at the boundary.
 */
const MARGIN = 0.001;

/**
 * zfsFindings: a pool not ONLINE, a member not fine, data errors, vdev errors, a finished scrub that
 * repaired bytes or left errors, zpool status unreadable (whole or one pool's block), damaged files
 * listed by `zpool status -v`, a pool `zpool list` says is not ONLINE, a pool over disk_pct.
 */
export function zfsSuspect(t: McpConfig["thresholds"]): RawBuilder<boolean> {
  return anyOf([
    "!exists(@.status ? (@.ok == true))",
    'exists(@.status.value[*] ? (@.state != "ONLINE" || @.data_errors > 0 || @.errors_text like_regex "Permanent errors"))',
    "exists(@.status.value[*].vdevs[*] ? (@.read_errors > 0 || @.write_errors > 0 || @.cksum_errors > 0))",
    `exists(@.status.value[*].vdevs[*] ? (@.depth > 0 && ${FINE_MEMBER_STATES.map((f) => `@.state != "${f}"`).join(" && ")}))`,
    'exists(@.status.value[*].scan ? (@.function == "scrub" && @.state == "finished" && (@.repaired_bytes > 0 || @.errors > 0)))',
    "exists(@.status.item_errors[*])",
    "exists(@.status.value[*].error_files[*])",
    'exists(@.pools.value[*] ? (@.health != "ONLINE"))',
    `exists(@.pools.value[*] ? (@.capacity_pct >= ${at(t.diskPct)}))`,
  ]);
}

/**
 * systemFindings: cpu, memory (total - available) or a mount (used of used + free, bytes or inodes) at its threshold,
 * or a sensor at its own high or critical limit (a plausible one: PLAUSIBLE_LIMIT_C).
 */
export function systemSuspect(t: McpConfig["thresholds"]): RawBuilder<boolean> {
  const memory = `(@.total_bytes - @.available_bytes) * 100 >= ${at(t.memPct)} * @.total_bytes`;
  const mount = `@.used_bytes * 100 >= ${at(t.diskPct)} * (@.used_bytes + @.free_bytes)`;
  const inodes = `@.inodes_used * 100 >= ${at(t.diskPct)} * (@.inodes_used + @.inodes_free)`;
  return anyOf([
    `exists(@.cpu ? (@.usage_pct >= ${at(t.cpuPct)}))`,
    `exists(@.memory ? (@.total_bytes > 0 && ${memory}))`,
    `exists(@.mounts[*] ? (@.used_bytes + @.free_bytes > 0 && ${mount}))`,
    `exists(@.mounts[*] ? (@.inodes_used + @.inodes_free > 0 && ${inodes}))`,
    `exists(@.temperatures[*] ? (${limit("high_c")} || ${limit("critical_c")}))`,
  ]);
}

/** A sensor at or over one of its limits, when that limit is a plausible one. */
function limit(field: "high_c" | "critical_c"): string {
  return `(@.${field} != null && @.${field} >= ${PLAUSIBLE_LIMIT_C} && @.temp_c >= @.${field} - ${MARGIN})`;
}

/**
 * One jsonpath over the payload holding when any of the conditions does: one call, so PostgreSQL
 * decompresses the stored payload once (a call per condition decompressed it each time). Its text is
 * ours (fixed conditions, numbers from at()), a constant PostgreSQL parses once per query, quoted by
 * Kysely.
 */
function anyOf(conditions: readonly string[]): RawBuilder<boolean> {
  const path = `$ ? (${conditions.join(" || ")})`;
  return sql<boolean>`jsonb_path_exists(payload, ${sql.lit(path)}::jsonpath)`;
}

/** A threshold less the margin, as a jsonpath number (written into the path, not a variable). */
function at(pct: number): string {
  if (!Number.isFinite(pct)) throw new Error(`threshold ${pct} is not a number`);
  return (pct - MARGIN).toFixed(6);
}
