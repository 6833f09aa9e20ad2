import type { Observation } from "@infrastructor/lib/alerts/alert.ts";
import { correlateDrivesWithPools } from "@infrastructor/mcp/tools/fleet/correlate.ts";
import type { Finding } from "@infrastructor/mcp/tools/fleet/finding.ts";
import { fleetFindings } from "@infrastructor/mcp/tools/fleet/fleet-findings.ts";
import type { HealthWindow } from "@infrastructor/mcp/tools/fleet/health-check.ts";
import { SEVERITIES } from "@infrastructor/mcp/tools/fleet/severity.ts";
import type { ToolContext } from "@infrastructor/mcp/tools/tool.ts";
import { printableLine, printableText } from "@infrastructor/shared/printable.ts";

/**
 * The thing a finding is about, without its numbers: "disk /srv 93% full" and "disk /srv 95% full"
 * are one alert whose figures moved, not two. A number is masked only where it stands alone (after a
 * space or at the start), so names keep theirs: /mnt/disk1, web-2, sda1.
 */
export function subjectOf(what: string): string {
  return printableLine(what).replace(/(^|\s)\d+(\.\d+)?(?=%|\s|$)/g, "$1#");
}

/** `rule|device|subject`: the same problem on the same host, evaluation after evaluation. */
export function alertKey(f: Pick<Finding, "rule" | "device" | "what">): string {
  return `${f.rule}|${f.device}|${subjectOf(f.what)}`;
}

/**
 * The findings that alert: critical and warning ones (an info finding is worth reading in the
 * health check, not worth a message). Two findings of one key keep the worse.
 */
export function observationsOf(findings: readonly Finding[]): Observation[] {
  const byKey = new Map<string, Observation>();
  for (const f of findings) {
    if (f.severity === "info") continue;
    const key = alertKey(f);
    const seen = byKey.get(key);
    if (seen !== undefined && SEVERITIES.indexOf(seen.severity) <= SEVERITIES.indexOf(f.severity)) continue;
    byKey.set(key, {
      key,
      rule: f.rule,
      device: f.device,
      domain: f.domain,
      severity: f.severity,
      what: printableLine(f.what),
      evidence: printableText(f.evidence),
      status: "active",
    });
  }
  return [...byKey.values()];
}

/**
 * What the alert engine observes each evaluation: the fleet health check's findings over the stored
 * data (never a live read), the very rules analyze_infrastructure_health answers with.
 */
export async function observeFleet(
  ctx: Pick<ToolContext, "store" | "domains" | "config">,
  w: HealthWindow,
  now: Date,
): Promise<Observation[]> {
  const { judged } = await fleetFindings(ctx, w, now, { live: false });
  return observationsOf(correlateDrivesWithPools(judged));
}
