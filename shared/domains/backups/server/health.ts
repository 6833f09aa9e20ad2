import type { BackupsData } from "@infrastructor/domains/backups/schema.ts";
import { formatAge, type Provenance } from "@infrastructor/mcp/answer/provenance.ts";
import type { DomainHealth } from "@infrastructor/mcp/tools/fleet/domain-health.ts";
import { finding, type JudgedFinding } from "@infrastructor/mcp/tools/fleet/finding.ts";

/**
 * Backups late or failed; `never` names the probes that have no successful run on record at all
 * (health-history.ts), which say so instead of "failed".
 */
export function backupFindings(
  p: Provenance,
  data: BackupsData,
  never: ReadonlyMap<string, Date | null> = new Map(),
): JudgedFinding[] {
  return data.probes.flatMap((probe): JudgedFinding[] => {
    if (probe.status === "ok") return [];
    const error = probe.error === null ? "" : `; ${probe.error.code}: ${probe.error.message}`;
    if (never.has(probe.name)) {
      const since = never.get(probe.name);
      const checked = since ? `checked since ${since.toISOString()}` : "checked";
      return [
        finding(
          p,
          "backup_never_succeeded",
          "warning",
          `backup ${probe.name} (${probe.kind}) never succeeded`,
          `no successful run on record (${checked}), max ${probe.max_age_h} h${error}`,
        ),
      ];
    }
    const age = probe.age_s === null ? "no backup found" : `last ${formatAge(probe.age_s)} before collection`;
    const late = probe.age_s === null ? 0 : probe.age_s / 3600 - probe.max_age_h;
    return [
      finding(
        p,
        probe.status === "failed" ? "backup_failed" : "backup_late",
        "warning",
        `backup ${probe.name} (${probe.kind}) ${probe.status}`,
        `${age}, max ${probe.max_age_h} h${error}`,
        late,
      ),
    ];
  });
}

/** backups: probes late or failed; with the tables, those that never succeeded say so. */
export const backupsHealth: DomainHealth<"backups"> = {
  findings(answer, ctx) {
    if (answer.data === null) return [];
    const stored = answer.provenance.source === "stored";
    const never =
      ctx.tables !== null && stored ? ctx.tables.history.neverBackups.get(answer.device.id) : undefined;
    return backupFindings(answer.provenance, answer.data, never);
  },
};
