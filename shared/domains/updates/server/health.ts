import type { UpdatesData } from "@infrastructor/domains/updates/schema.ts";
import type { Provenance } from "@infrastructor/mcp/answer/provenance.ts";
import type { DomainHealth } from "@infrastructor/mcp/tools/fleet/domain-health.ts";
import { finding, type JudgedFinding } from "@infrastructor/mcp/tools/fleet/finding.ts";

export function updateFindings(p: Provenance, data: UpdatesData): JudgedFinding[] {
  const out: JudgedFinding[] = [];
  if (data.pending.ok) {
    const security = data.pending.packages.filter((u) => u.kind === "security");
    if (security.length > 0) {
      const names = [...new Set(security.map((u) => u.name))];
      out.push(
        finding(
          p,
          "security_updates",
          "warning",
          `${security.length} security updates pending`,
          `${names.slice(0, 10).join(", ")}${names.length > 10 ? ", ..." : ""}`,
          security.length,
        ),
      );
    }
    const others = data.pending.packages.length - security.length;
    if (others > 0)
      out.push(
        finding(p, "other_updates", "info", `${others} other updates pending`, `${data.manager}`, others),
      );
  } else {
    out.push(
      finding(
        p,
        "source_unreadable",
        "info",
        "pending updates unreadable",
        `${data.pending.error.code}: ${data.pending.error.message}`,
      ),
    );
  }
  if (data.reboot.required === "yes") {
    out.push(
      finding(
        p,
        "reboot_required",
        "warning",
        "reboot required",
        data.reboot.packages.length
          ? `asked by ${data.reboot.packages.join(", ")}`
          : "reboot-required is set",
      ),
    );
  }
  const images = data.container_images;
  const newer = images?.ok ? images.containers.filter((c) => c.newer_image_present === "yes") : [];
  if (newer.length > 0) {
    out.push(
      finding(
        p,
        "outdated_images",
        "info",
        `${newer.length} containers run an outdated image`,
        newer.map((c) => `${c.container} (${c.image})`).join(", "),
        newer.length,
      ),
    );
  }
  return out;
}

/** updates: security and other updates pending, a reboot required, containers on an outdated image. */
export const updatesHealth: DomainHealth<"updates"> = {
  findings(answer) {
    return answer.data === null ? [] : updateFindings(answer.provenance, answer.data);
  },
};
