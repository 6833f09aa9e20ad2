import type { Sql } from "postgres";

/**
 * The alerts as the surfaces (MCP, REST, `infra alerts list`) show them: the ones still followed
 * (firing first, then pending, then resolved-but-watched), and the history from alert_events, which
 * outlives the alerts themselves. Read-only: the writes go through alert-actions.ts.
 */

export type AlertState = "pending" | "firing" | "resolved";

export interface AlertFilter {
  state?: AlertState | undefined;
  device?: string | undefined;
  /** History from this time on; without it, the last day. */
  since?: Date | undefined;
  /** At most this many history events (newest first). */
  historyLimit?: number | undefined;
}

export interface ActiveAlert {
  key: string;
  rule: string;
  device: string;
  domain: string;
  severity: "critical" | "warning" | "info";
  state: AlertState;
  what: string;
  evidence: string;
  active_since: string;
  firing_since: string | null;
  resolved_at: string | null;
  acked_at: string | null;
  acked_by: string | null;
  flapping: boolean;
  updated_at: string;
}

export interface AlertEvent {
  id: number;
  key: string;
  kind: string;
  at: string;
  severity: string;
  what: string;
  evidence: string;
  suppressed: string | null;
  actor: string | null;
}

/** An alert channel the sender found failing long enough to report (collector/src/alerts/channel-health.ts). */
export interface FailingChannel {
  channel: string;
  failing_since: string;
  failures: number;
  /** The channel's own message, which never names a secret. */
  last_error: string | null;
  last_fail_at: string | null;
}

export interface AlertList {
  alerts: ActiveAlert[];
  history: AlertEvent[];
  /** Notifications are not getting through on these: an operator may not hear of the alerts above. */
  channels_failing: FailingChannel[];
}

const DAY_MS = 24 * 3600 * 1000;

/** Firing before pending before resolved; within a state the most severe, then the oldest. */
export async function listAlerts(sql: Sql, filter: AlertFilter = {}, now = new Date()): Promise<AlertList> {
  const since = filter.since ?? new Date(now.getTime() - DAY_MS);
  const state = filter.state ?? null;
  const device = filter.device ?? null;
  const alerts = await sql<ActiveAlert[]>`
    SELECT key, rule, device, domain, severity, state, what, evidence,
      to_json(active_since)#>>'{}' AS active_since, to_json(firing_since)#>>'{}' AS firing_since,
      to_json(resolved_at)#>>'{}' AS resolved_at, to_json(acked_at)#>>'{}' AS acked_at, acked_by, flapping,
      to_json(updated_at)#>>'{}' AS updated_at
    FROM alerts
    WHERE (${state}::text IS NULL OR state = ${state}) AND (${device}::text IS NULL OR device = ${device})
    ORDER BY CASE state WHEN 'firing' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END,
      CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, active_since, key`;
  // The key is `rule|device|subject` (alert.ts): history outlives the alert row, so the device comes from it.
  const history = await sql<AlertEvent[]>`
    SELECT id, alert_key AS key, kind, to_json(at)#>>'{}' AS at, severity, what, evidence, suppressed, actor
    FROM alert_events
    WHERE at >= ${since} AND (${device}::text IS NULL OR split_part(alert_key, '|', 2) = ${device})
    ORDER BY at DESC, id DESC
    LIMIT ${filter.historyLimit ?? 200}`;
  return { alerts: [...alerts], history: [...history], channels_failing: await failingChannels(sql) };
}

/**
 * The channels whose current outage the sender reported (it crossed the configured failure count or
 * time; `reported_at` is set then and cleared by the next delivery), so every surface shows the same.
 */
export async function failingChannels(sql: Sql): Promise<FailingChannel[]> {
  const rows = await sql<FailingChannel[]>`
    SELECT channel, to_json(failing_since)#>>'{}' AS failing_since, failures, last_error,
      to_json(last_fail_at)#>>'{}' AS last_fail_at
    FROM alert_channel_health
    WHERE failing_since IS NOT NULL AND reported_at IS NOT NULL
    ORDER BY failing_since, channel`;
  return [...rows];
}

/** One line for the text answers: which channels fail, since when, and what that means. */
export function failingChannelsLine(channels: readonly FailingChannel[]): string | null {
  if (channels.length === 0) return null;
  const each = channels.map((c) => `${c.channel} (since ${c.failing_since}, ${c.failures} failures)`);
  return `ALERT CHANNELS FAILING: ${each.join(", ")}: notifications are retried but not arriving.`;
}

/**
 * What changes whenever the alerts do: the newest write and the row count (a deleted alert lowers
 * the count). One index-free scan of a small table, cheap enough to poll every few seconds.
 */
export async function alertsVersion(sql: Sql): Promise<string> {
  const [row] = await sql<{ v: string }[]>`
    SELECT coalesce(to_json(max(updated_at))#>>'{}', '') || '/' || count(*) AS v FROM alerts`;
  return row?.v ?? "";
}

/**
 * The channels an acknowledgement goes to when the caller has no alert config (the MCP server, the
 * CLI): those that carried the rule's news before. A notification's dedup key begins with the alert
 * key or, grouped, with the rule (notify-plan.ts), and the alert key begins with the rule.
 */
export async function channelsThatHeard(sql: Sql, key: string): Promise<(rule: string) => readonly string[]> {
  const rule = key.split("|", 1)[0] ?? "";
  const rows = await sql<{ channel: string }[]>`
    SELECT DISTINCT channel FROM notification_outbox
    WHERE kind <> 'test' AND starts_with(dedup_key, ${`${rule}|`}) ORDER BY channel`;
  const channels = rows.map((r) => r.channel);
  return () => channels;
}
