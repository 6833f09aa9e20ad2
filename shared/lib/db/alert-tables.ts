import { bool, int4, int8, text, textArray, timestamptz, timestamptzArray } from "./column.ts";
import { table } from "./table.ts";

/**
 * The alert engine's tables (sql/migrations/2026-12-02-70-alerts.sql; collector/src/alerts/). History
 * (events, outbox rows, expired mutes) is kept 90 days, like the rollups an operator looks back over.
 */
type Severity = "critical" | "warning" | "info";
type EventKind =
  | "firing"
  | "resolved"
  | "repeat"
  | "flapping"
  | "severity_changed"
  | "acknowledged"
  | "muted"
  | "inhibited";
type NotificationKind = "firing" | "resolved" | "acknowledged" | "flapping" | "test";

const HISTORY = { days: 90 } as const;

/** The alerts still followed; the engine replaces the set each evaluation, so no retention. */
export const alerts = table(
  "alerts",
  {
    key: text(),
    rule: text(),
    device: text(),
    domain: text(),
    severity: text<Severity>(),
    what: text(),
    evidence: text(),
    state: text<"pending" | "firing" | "resolved">(),
    active_since: timestamptz(),
    firing_since: timestamptz().nullable(),
    clear_since: timestamptz().nullable(),
    resolved_at: timestamptz().nullable(),
    notified_at: timestamptz().nullable(),
    acked_at: timestamptz().nullable(),
    acked_by: text().nullable(),
    flips: timestamptzArray().withDefault(),
    flapping: bool().withDefault(),
    updated_at: timestamptz<Date>().withDefault(),
  },
  { kind: "state", primaryKey: ["key"] },
);

export const alertEvents = table(
  "alert_events",
  {
    id: int8<number>().withDefault(),
    alert_key: text(),
    kind: text<EventKind>(),
    at: timestamptz(),
    severity: text<Severity>(),
    what: text(),
    evidence: text(),
    suppressed: text<"muted" | "inhibited">().nullable(),
    actor: text().nullable(),
  },
  { kind: "record", primaryKey: ["id"], retention: { keep: HISTORY, by: "at" } },
);

/** Mutes age out 90 days after they end: long enough to see who muted what during an incident. */
export const alertMutes = table(
  "alert_mutes",
  {
    id: int8<number>().withDefault(),
    device: text().nullable(),
    rule: text().nullable(),
    key: text().nullable(),
    tag: text().nullable(),
    until: timestamptz(),
    reason: text(),
    created_by: text(),
    created_at: timestamptz<Date>().withDefault(),
  },
  { kind: "record", primaryKey: ["id"], retention: { keep: HISTORY, by: "until" } },
);

/**
 * Aged by created_at: a row still unsent after 90 days of retries (a channel gone for good) is no
 * news anyone wants delivered any more.
 */
export const notificationOutbox = table(
  "notification_outbox",
  {
    id: int8<number>().withDefault(),
    dedup_key: text(),
    channel: text(),
    kind: text<NotificationKind>(),
    severity: text<Severity>(),
    title: text(),
    body: text(),
    hosts: textArray(),
    at: timestamptz(),
    created_at: timestamptz<Date>().withDefault(),
    attempts: int4().withDefault(),
    next_attempt_at: timestamptz<Date>().withDefault(),
    sent_at: timestamptz().nullable(),
    failed_at: timestamptz().nullable(),
    last_error: text().nullable(),
  },
  {
    kind: "record",
    primaryKey: ["id"],
    unique: [["dedup_key", "channel"]],
    retention: { keep: HISTORY, by: "created_at" },
  },
);

/** One row per channel that has been tried: its current run of failures. */
export const alertChannelHealth = table(
  "alert_channel_health",
  {
    channel: text(),
    failing_since: timestamptz().nullable(),
    failures: int4().withDefault(),
    last_error: text().nullable(),
    last_ok_at: timestamptz().nullable(),
    last_fail_at: timestamptz().nullable(),
    reported_at: timestamptz().nullable(),
  },
  { kind: "state", primaryKey: ["channel"] },
);

export const ALERT_TABLES = [
  alerts,
  alertEvents,
  alertMutes,
  notificationOutbox,
  alertChannelHealth,
] as const;
