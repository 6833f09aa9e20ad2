import type { Provenance } from "@infrastructor/mcp/answer/provenance.ts";
import type { DomainHealth } from "@infrastructor/mcp/tools/fleet/domain-health.ts";
import { finding, type JudgedFinding } from "@infrastructor/mcp/tools/fleet/finding.ts";
import type { UpsData } from "../schema.ts";
import { upsProblems } from "../views.ts";

/**
 * The fleet check's UPS rules, from the stored payload alone: on battery (warning); low battery,
 * battery to replace, overload (critical). The evidence is NUT's own status and figures.
 */
export function upsFindings(p: Provenance, data: UpsData): JudgedFinding[] {
  if (!data.upsc.ok) return [];
  return data.upsc.value.flatMap((u) =>
    upsProblems(u).map((problem) => {
      const figures = [
        `ups.status ${u.status}`,
        u.battery_charge_pct === null ? null : `battery ${u.battery_charge_pct}%`,
        u.battery_runtime_s === null ? null : `runtime ${Math.round(u.battery_runtime_s)} s`,
        u.load_pct === null ? null : `load ${u.load_pct}%`,
      ].filter((f) => f !== null);
      // Overload by its load; the others by the charge already gone (the emptier battery first).
      const magnitude =
        problem.rule === "ups_overload" ? (u.load_pct ?? 0) : 100 - (u.battery_charge_pct ?? 100);
      return finding(p, problem.rule, problem.severity, problem.what, figures.join("; "), magnitude);
    }),
  );
}

/** ups: on battery, low battery, battery to replace, overload; from the payload alone. */
export const upsHealth: DomainHealth<"ups"> = {
  findings(answer) {
    return answer.data === null ? [] : upsFindings(answer.provenance, answer.data);
  },
};
