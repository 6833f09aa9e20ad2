import type { Notification } from "@infrastructor/lib/notify/channel.ts";
import type { Sql, TransactionSql } from "postgres";
import type { Alert, AlertEvent, Mute, Plan, PlannedNotification } from "./alert.ts";

/**
 * The alert engine's state in PostgreSQL (sql/migrations/2026-12-02-70-alerts.sql). An evaluation's
 * alerts, its history and its outbox rows are written in one transaction: a notification exists
 * exactly when the state change it tells about committed. Every write to the alerts takes one
 * transaction-level advisory lock, so an acknowledgement made while the engine evaluates waits for
 * it and is not overwritten by a working set loaded before it.
 */
const ALERTS_WRITE_LOCK = 0x1a1e_0016;

/** Which channels a notification goes to (the rule's channels in the alert config). */
export type ChannelsOf = (notification: PlannedNotification) => readonly string[];

type Tx = TransactionSql | Sql;

export async function lockAlerts(tx: TransactionSql): Promise<void> {
  await tx`SELECT pg_advisory_xact_lock(${ALERTS_WRITE_LOCK})`;
}

interface AlertRow {
  key: string;
  rule: string;
  device: string;
  domain: string;
  severity: Alert["severity"];
  what: string;
  evidence: string;
  state: Alert["state"];
  active_since: Date;
  firing_since: Date | null;
  clear_since: Date | null;
  resolved_at: Date | null;
  notified_at: Date | null;
  acked_at: Date | null;
  acked_by: string | null;
  flips: Date[];
  flapping: boolean;
}

/** Every alert the last evaluation kept (pending, firing, resolved while it may still flap). */
export async function loadWorkingSet(sql: Tx): Promise<Map<string, Alert>> {
  const rows = await sql<AlertRow[]>`SELECT * FROM alerts ORDER BY key`;
  return new Map(rows.map((r) => [r.key, fromRow(r)]));
}

/** Mutes still in force at `now`. */
export async function loadActiveMutes(sql: Tx, now: Date): Promise<Mute[]> {
  return await sql<Mute[]>`
    SELECT device, rule, key, tag, until FROM alert_mutes WHERE until > ${now} ORDER BY id`;
}

/**
 * Writes one evaluation: the alerts (upserted; those it no longer follows deleted), its events as
 * history (the suppressed ones with why), and one outbox row per notification and channel. Call it in
 * the transaction that holds lockAlerts. Given the working set the evaluation started from (loaded
 * in that transaction), only the alerts that changed are written: most of a fleet's alerts stay as
 * they were from one evaluation to the next.
 */
export async function saveEvaluation(
  tx: TransactionSql,
  alerts: ReadonlyMap<string, Alert>,
  events: readonly AlertEvent[],
  plan: Plan,
  channelsOf: ChannelsOf,
  previous: ReadonlyMap<string, Alert> | null = null,
): Promise<void> {
  const rows = [...alerts.values()]
    .filter((a) => {
      const before = previous?.get(a.key);
      return before === undefined || !sameAlert(before, a);
    })
    .map(toRow);
  for (const chunk of chunks(rows, 1000)) {
    await tx`
      INSERT INTO alerts ${tx(chunk)}
      ON CONFLICT (key) DO UPDATE SET
        rule = EXCLUDED.rule, device = EXCLUDED.device, domain = EXCLUDED.domain,
        severity = EXCLUDED.severity, what = EXCLUDED.what, evidence = EXCLUDED.evidence,
        state = EXCLUDED.state, active_since = EXCLUDED.active_since,
        firing_since = EXCLUDED.firing_since, clear_since = EXCLUDED.clear_since,
        resolved_at = EXCLUDED.resolved_at, notified_at = EXCLUDED.notified_at,
        acked_at = EXCLUDED.acked_at,
        -- Who acknowledged is the surface's to say; the evaluation only ends an acknowledgement.
        acked_by = CASE WHEN EXCLUDED.acked_at IS NULL THEN NULL ELSE alerts.acked_by END,
        flips = EXCLUDED.flips, flapping = EXCLUDED.flapping, updated_at = now()`;
  }
  if (previous === null) {
    await tx`DELETE FROM alerts WHERE NOT (key = ANY(${[...alerts.keys()]}::text[]))`;
  } else {
    const forgotten = [...previous.keys()].filter((k) => !alerts.has(k));
    if (forgotten.length > 0) await tx`DELETE FROM alerts WHERE key = ANY(${forgotten}::text[])`;
  }

  const why = new Map(plan.suppressed.map((s) => [s.event, s.reason]));
  const history = events.map((e) => ({
    alert_key: e.alert.key,
    kind: e.kind,
    at: e.at,
    severity: e.alert.severity,
    what: e.alert.what,
    evidence: e.alert.evidence,
    suppressed: why.get(e) ?? null,
    actor: null,
  }));
  for (const chunk of chunks(history, 1000)) await tx`INSERT INTO alert_events ${tx(chunk)}`;

  await enqueue(
    tx,
    plan.notifications.flatMap((n) => channelsOf(n).map((channel) => ({ n, channel }))),
  );
}

/** Outbox rows; a dedup key already queued for a channel is not queued twice. */
export async function enqueue(tx: Tx, items: readonly { n: Notification; channel: string }[]): Promise<void> {
  const rows = items.map(({ n, channel }) => ({
    dedup_key: n.dedupKey,
    channel,
    kind: n.kind,
    severity: n.severity,
    title: n.title,
    body: n.body,
    hosts: [...n.hosts],
    at: n.at,
  }));
  for (const chunk of chunks(rows, 1000)) {
    await tx`INSERT INTO notification_outbox ${tx(chunk)} ON CONFLICT (dedup_key, channel) DO NOTHING`;
  }
}

function fromRow(r: AlertRow): Alert {
  return {
    key: r.key,
    rule: r.rule,
    device: r.device,
    domain: r.domain,
    severity: r.severity,
    what: r.what,
    evidence: r.evidence,
    state: r.state,
    activeSince: r.active_since,
    firingSince: r.firing_since,
    clearSince: r.clear_since,
    resolvedAt: r.resolved_at,
    notifiedAt: r.notified_at,
    ackedAt: r.acked_at,
    flips: r.flips,
    flapping: r.flapping,
  };
}

function toRow(a: Alert): Omit<AlertRow, "acked_by" | "flips"> & { flips: string[] } {
  return {
    key: a.key,
    rule: a.rule,
    device: a.device,
    domain: a.domain,
    severity: a.severity,
    what: a.what,
    evidence: a.evidence,
    state: a.state,
    active_since: a.activeSince,
    firing_since: a.firingSince,
    clear_since: a.clearSince,
    resolved_at: a.resolvedAt,
    notified_at: a.notifiedAt,
    acked_at: a.ackedAt,
    // ISO strings, not Dates: postgres.js types an array by its first element (timestamptz, not
    // timestamptz[]); strings go untyped and the server reads them as the column's type.
    flips: a.flips.map((t) => t.toISOString()),
    flapping: a.flapping,
  };
}

function sameAlert(a: Alert, b: Alert): boolean {
  return JSON.stringify(toRow(a)) === JSON.stringify(toRow(b));
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
