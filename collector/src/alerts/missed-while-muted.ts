import type { Alert, AlertEvent, Mute } from "@infrastructor/lib/alerts/alert.ts";
import type { TransactionSql } from "postgres";
import { muteMatches } from "./notify-plan.ts";

/**
 * The alerts still firing whose last news was swallowed by a mute or by their host being down, when
 * neither holds any more (the mute ended or was lifted, the host is back): each gets
 * a firing event now, so the end of a mute tells what happened during it (once: the event it adds is
 * not suppressed, so the next evaluation finds nothing missed). Alerts with news of their own in this
 * evaluation, and those still muted or inhibited, wait. Updates `alerts` in place (the repeat interval
 * restarts at the news).
 */
export async function missedWhileMuted(
  tx: TransactionSql,
  alerts: Map<string, Alert>,
  events: readonly AlertEvent[],
  mutes: readonly Mute[],
  down: ReadonlySet<string>,
  now: Date,
  tagsOf: (device: string) => readonly string[],
): Promise<AlertEvent[]> {
  const told = new Set(events.map((e) => e.alert.key));
  const firing = [...alerts.values()].filter((a) => a.state === "firing" && !told.has(a.key));
  if (firing.length === 0) return [];
  const rows = await tx<{ alert_key: string }[]>`
    SELECT alert_key FROM (
      SELECT DISTINCT ON (alert_key) alert_key, suppressed
      FROM alert_events WHERE alert_key = ANY(${firing.map((a) => a.key)}::text[])
      ORDER BY alert_key, at DESC, id DESC
    ) latest WHERE suppressed IN ('muted', 'inhibited')`;
  const missed = new Set(rows.map((r) => r.alert_key));
  const ctx = { now, tagsOf };
  return firing
    .filter((a) => missed.has(a.key))
    .filter((a) => !mutes.some((m) => muteMatches(m, a.device, a.rule, a.key, ctx)))
    .filter((a) => a.rule === "host_down" || !down.has(a.device))
    .map((a) => {
      // Told now: the repeat interval counts from here.
      const alert = { ...a, notifiedAt: now };
      alerts.set(a.key, alert);
      return { kind: "firing" as const, alert, at: now };
    });
}
