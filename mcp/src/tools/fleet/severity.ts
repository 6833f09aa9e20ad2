import { memberFine } from "@infrastructor/domains/zfs/views.ts";
/**
 * The one severity model of the MCP server: analyze_infrastructure_health, verify_zfs_integrity,
 * get_drive_health and the device status resource all judge through these functions, so a pool or a
 * drive cannot be critical in one answer and a mere warning in another.
 *
 * critical: data at risk or a host down. A pool DEGRADED, FAULTED, UNAVAIL, SUSPENDED (or REMOVED), a
 * pool member FAULTED, REMOVED or UNAVAIL, permanent data errors, a drive whose SMART says failed or
 * failing (the agent's verdict: health self-assessment failed, exit-status bit 3, a prefail attribute
 * at or below its threshold), a host not reporting.
 * warning: something a person should act on soon. info: worth knowing.
 */
export const SEVERITIES = ["critical", "warning", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What a finding puts at stake, most serious first: the order within one severity. */
export const IMPACTS = ["data", "service", "capacity", "hygiene"] as const;
export type Impact = (typeof IMPACTS)[number];

/**
 * Every rule of the fleet health check with its impact, in the order its findings come within one
 * severity and impact (then the larger magnitude first). A drive failing inside a degraded pool
 * (pool_member_failing, one finding with both facts) leads; a finding the rules cannot class is last.
 */
export const RULES = {
  pool_member_failing: "data",
  pool_state: "data",
  permanent_errors: "data",
  drive_failing: "data",
  kernel_io_errors: "data",
  vdev_errors: "data",
  scrub_repaired: "data",
  scrub_errors: "data",
  drive_degrading: "data",
  backup_never_succeeded: "data",
  backup_failed: "data",
  backup_late: "data",
  fleet_silent: "service",
  temperature: "service",
  host_down: "service",
  container_restarting: "service",
  restart_loop: "service",
  oom_kill: "service",
  ups_low_battery: "service",
  ups_replace_battery: "service",
  ups_overload: "service",
  ups_on_battery: "service",
  container_exited: "service",
  depends_on_down: "service",
  container_dead: "service",
  container_unhealthy: "service",
  fs_full_soon: "capacity",
  disk_full: "capacity",
  inodes_full: "capacity",
  pool_full: "capacity",
  memory: "capacity",
  cpu: "capacity",
  security_updates: "hygiene",
  reboot_required: "hygiene",
  other_updates: "hygiene",
  outdated_images: "hygiene",
  drive_unreadable: "hygiene",
  source_unreadable: "hygiene",
  collection_failing: "hygiene",
  live_read_failed: "hygiene",
} as const satisfies Record<string, Impact>;
export type Rule = keyof typeof RULES;
const RULE_ORDER = Object.keys(RULES) as Rule[];

export function impactOf(rule: Rule): Impact {
  return RULES[rule];
}

/** Pool states that put data at risk (zpool's own words; REMOVED is a pool whose device went away). */
const CRITICAL_POOL = new Set(["DEGRADED", "FAULTED", "UNAVAIL", "SUSPENDED", "REMOVED"]);
/** A member in these states no longer holds its share of the pool's redundancy. */
const CRITICAL_MEMBER = new Set(["FAULTED", "REMOVED", "UNAVAIL"]);

/** A pool's own state: null when ONLINE. Any other state (OFFLINE, an unknown word) is a warning. */
export function poolStateSeverity(state: string): Severity | null {
  if (state === "ONLINE") return null;
  return CRITICAL_POOL.has(state) ? "critical" : "warning";
}

/** A vdev member's state (null: a section header, or fine). DEGRADED and OFFLINE members warn. */
export function memberStateSeverity(state: string | null): Severity | null {
  if (state === null || memberFine(state)) return null;
  return CRITICAL_MEMBER.has(state) ? "critical" : "warning";
}

/** The agent's SMART verdict (with the collector's trend): failing is data at risk. */
export function driveVerdictSeverity(verdict: "ok" | "warning" | "failing" | null): Severity | null {
  if (verdict === "failing") return "critical";
  return verdict === "warning" ? "warning" : null;
}

/** Permanent errors: a count above zero, or a listed damaged file. */
export function permanentErrorsSeverity(dataErrors: number | null, files: number): Severity | null {
  return (dataErrors ?? 0) > 0 || files > 0 ? "critical" : null;
}

export type Verdict = "failing" | "warning" | "ok";

/** The per-device tools' verdict words for a severity: critical is failing, info is ok. */
export function verdictOf(severity: Severity | null): Verdict {
  if (severity === "critical") return "failing";
  return severity === "warning" ? "warning" : "ok";
}

/** The worst of several (null: nothing to say). */
export function worstSeverity(severities: readonly (Severity | null)[]): Severity | null {
  for (const s of SEVERITIES) if (severities.includes(s)) return s;
  return null;
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** What the order of findings reads. */
export interface Ranked {
  severity: Severity;
  rule: Rule;
  /** How much of it: errors, bytes, restarts, % full, 1 / days left. Larger is worse. */
  magnitude: number;
  device: string;
  what: string;
}

/**
 * Worst first: severity, then impact (data, service, capacity, hygiene), then the rule's place, then
 * the larger magnitude; device and what only break exact ties, so the order is stable for paging and
 * never alphabetical where the facts differ.
 */
export function compareRanked(a: Ranked, b: Ranked): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    IMPACTS.indexOf(RULES[a.rule]) - IMPACTS.indexOf(RULES[b.rule]) ||
    RULE_ORDER.indexOf(a.rule) - RULE_ORDER.indexOf(b.rule) ||
    b.magnitude - a.magnitude ||
    (a.device < b.device ? -1 : a.device > b.device ? 1 : 0) ||
    (a.what < b.what ? -1 : a.what > b.what ? 1 : 0)
  );
}
