import type { SmartVerdict } from "@infrastructor/domains/smart/schema.ts";

/**
 * Trend reasons for a drive: the agent has no history across restarts, so it judges each reading alone
 * and the collector (which stores every reading) adds what changed over the last week. Pure, so the
 * collector's writer and the MCP server compute the same sentence from the same two samples.
 */
export const SMART_TREND_WINDOW_MS = 7 * 86_400_000;

/** The counters whose growth means a drive is getting worse. */
export interface SmartCounters {
  reallocated_sectors: number | null;
  pending_sectors: number | null;
  offline_uncorrectable: number | null;
  crc_errors: number | null;
  media_errors: number | null;
}

export interface SmartSample extends SmartCounters {
  atMs: number;
}

const WATCHED: readonly [keyof SmartCounters, string][] = [
  ["reallocated_sectors", "reallocated sectors"],
  ["pending_sectors", "pending sectors"],
  ["offline_uncorrectable", "offline uncorrectable sectors"],
  ["crc_errors", "CRC errors"],
  ["media_errors", "NVMe media errors"],
];

/** e.g. ["reallocated sectors 8 -> 24 in 7 days"]; empty when nothing grew (or `earlier` is not earlier). */
export function smartTrendReasons(earlier: SmartSample, current: SmartSample): string[] {
  const spanMs = current.atMs - earlier.atMs;
  if (spanMs <= 0) return [];
  const reasons: string[] = [];
  for (const [key, label] of WATCHED) {
    const before = earlier[key];
    const now = current[key];
    if (before !== null && now !== null && now > before) {
      reasons.push(`${label} ${before} -> ${now} in ${formatSpan(spanMs)}`);
    }
  }
  return reasons;
}

/** A growing defect count is at least a warning, whatever the single reading said. */
export function withTrend(
  verdict: SmartVerdict,
  reasons: readonly string[],
  trend: readonly string[],
): { verdict: SmartVerdict; reasons: string[] } {
  if (trend.length === 0) return { verdict, reasons: [...reasons] };
  return { verdict: verdict === "failing" ? "failing" : "warning", reasons: [...reasons, ...trend] };
}

export function formatSpan(ms: number): string {
  const days = Math.round(ms / 86_400_000);
  if (days >= 1) return days === 1 ? "1 day" : `${days} days`;
  const hours = Math.round(ms / 3_600_000);
  if (hours >= 1) return `${hours} h`;
  return `${Math.max(1, Math.round(ms / 60_000))} min`;
}
