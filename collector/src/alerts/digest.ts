import type { Alert, PlannedNotification } from "@infrastructor/lib/alerts/alert.ts";

/** `08:00` -> 480: the minute of the (UTC) day the digest goes out. */
export function digestMinute(hhmm: string): number {
  const [h = "0", m = "0"] = hhmm.split(":");
  return Number(h) * 60 + Number(m);
}

/**
 * The daily digest: once a day, from `atMinute` (UTC) on, one message listing every alert still
 * firing, for those who set `repeat: never` and want a reminder instead of a repeat per alert. Its
 * dedup key is the date, so however many evaluations run after the hour, and across collector
 * restarts, the outbox holds one per channel and day. Nothing firing: no digest.
 */
export function dailyDigest(
  alerts: ReadonlyMap<string, Alert>,
  now: Date,
  atMinute: number,
): PlannedNotification | null {
  const minute = now.getUTCHours() * 60 + now.getUTCMinutes();
  if (minute < atMinute) return null;
  const firing = [...alerts.values()]
    .filter((a) => a.state === "firing")
    .sort((a, b) => rank(a) - rank(b) || a.device.localeCompare(b.device) || a.what.localeCompare(b.what));
  if (firing.length === 0) return null;
  const day = now.toISOString().slice(0, 10);
  const critical = firing.filter((a) => a.severity === "critical").length;
  const lines = firing
    .slice(0, 50)
    .map(
      (a) =>
        `- [${a.severity}] ${a.device}: ${a.what} (since ${(a.firingSince ?? a.activeSince).toISOString()}${a.ackedAt ? ", acknowledged" : ""})`,
    );
  if (firing.length > 50) lines.push(`... and ${firing.length - 50} more`);
  return {
    dedupKey: `digest|${day}`,
    kind: "firing",
    severity: critical > 0 ? "critical" : "warning",
    title: `[DIGEST] ${firing.length} alerts firing (${critical} critical), ${day}`,
    body: lines.join("\n"),
    hosts: [...new Set(firing.map((a) => a.device))].sort(),
    at: now,
    alertKeys: [],
  };
}

function rank(a: Alert): number {
  return a.severity === "critical" ? 0 : a.severity === "warning" ? 1 : 2;
}
