import type { Provenance } from "@infrastructor/mcp/answer/provenance.ts";
import { formatBytes } from "@infrastructor/mcp/tools/common/domain-data.ts";
import { finding, type JudgedFinding } from "@infrastructor/mcp/tools/fleet/finding.ts";
import type { MountGrowth } from "@infrastructor/mcp/tools/fleet/health-history.ts";

const DAY_S = 86_400;

/**
 * A mount that fills within `withinDays` at its growth over the window: the least-squares slope of its
 * used bytes, its free bytes at the last sample, the rate per day and the date it would be full.
 */
export function fsFullFindings(
  p: Provenance,
  mounts: readonly MountGrowth[],
  withinDays: number,
  windowH: number,
): JudgedFinding[] {
  return mounts.flatMap((m): JudgedFinding[] => {
    if (!(m.slope_bytes_per_s > 0)) return [];
    const days = m.free_bytes / (m.slope_bytes_per_s * DAY_S);
    if (days > withinDays) return [];
    const fullAt = new Date(m.last_at.getTime() + days * DAY_S * 1000);
    const perDay = m.slope_bytes_per_s * DAY_S;
    return [
      finding(
        p,
        "fs_full_soon",
        "warning",
        `disk ${m.mountpoint} full in ${days.toFixed(1)} days`,
        `growing ${formatBytes(perDay)}/day (least squares over ${m.samples} samples of the last ${windowH} h); ` +
          `${formatBytes(m.free_bytes)} free of ${formatBytes(m.size_bytes)} (${m.device}); full around ${fullAt.toISOString().slice(0, 16)}Z`,
        // Sooner is worse.
        1 / Math.max(days, 1e-6),
      ),
    ];
  });
}
