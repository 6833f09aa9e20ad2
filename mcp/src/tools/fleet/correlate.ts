import { vdevMatchesDrive } from "./drive-match.ts";
import type { JudgedFinding } from "./finding.ts";
import { worstSeverity } from "./severity.ts";

const DRIVE_RULES = new Set(["drive_failing", "drive_degrading"]);
const POOL_RULES = ["pool_state", "vdev_errors"];

/**
 * A failing or degrading drive that is a member of a pool in trouble is one finding with both facts:
 * the pool's finding takes the drive's (in `related` and in its evidence), and the drive's own
 * finding goes. A failing member makes it pool_member_failing, the first rule of all. A pool's state
 * finding takes its drives before its vdev-errors finding can.
 */
export function correlateDrivesWithPools(findings: JudgedFinding[]): JudgedFinding[] {
  const drives = findings.filter((f) => DRIVE_RULES.has(f.rule) && f.hints?.drive !== undefined);
  if (drives.length === 0) return findings;
  const taken = new Set<JudgedFinding>();
  const merged = new Map<JudgedFinding, JudgedFinding>();
  const pools = findings
    .filter((f) => POOL_RULES.includes(f.rule) && f.hints?.pool !== undefined)
    .sort((a, b) => POOL_RULES.indexOf(a.rule) - POOL_RULES.indexOf(b.rule));
  for (const pool of pools) {
    const members = pool.hints?.pool?.members ?? [];
    const mine = drives.filter(
      (d) =>
        !taken.has(d) &&
        d.device === pool.device &&
        members.some((m) => d.hints?.drive !== undefined && vdevMatchesDrive(m, d.hints.drive)),
    );
    if (mine.length === 0) continue;
    for (const d of mine) taken.add(d);
    const failing = mine.filter((d) => d.rule === "drive_failing");
    const severity = worstSeverity([pool.severity, ...mine.map((d) => d.severity)]) ?? pool.severity;
    const what =
      failing.length > 0
        ? `${pool.what} with failing member ${failing.map((d) => d.what.replace(/^drive | failing$/g, "")).join(", ")}`
        : `${pool.what} with degrading member ${mine.map((d) => d.what.replace(/^drive | degrading$/g, "")).join(", ")}`;
    merged.set(pool, {
      ...pool,
      severity,
      impact: "data",
      rule: failing.length > 0 ? "pool_member_failing" : pool.rule,
      magnitude: pool.magnitude + mine.length,
      what,
      // The members' states, then the drives' SMART facts; zpool's status text, long and saying the
      // least, last (the answer's text may cut it).
      evidence: [
        pool.hints?.pool?.bad || pool.evidence,
        ...mine.map((d) => `${d.what}: ${d.evidence}`),
        pool.hints?.pool?.text,
      ]
        .filter(Boolean)
        .join(" | "),
      related: mine.map((d) => ({ domain: d.domain, what: d.what, evidence: d.evidence })),
    });
  }
  return findings.filter((f) => !taken.has(f)).map((f) => merged.get(f) ?? f);
}
