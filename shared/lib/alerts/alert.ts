import type { Notification } from "@infrastructor/lib/notify/channel.ts";
import type { Severity } from "@infrastructor/mcp/tools/fleet/severity.ts";

/**
 * Alerts (issue 15): a finding of the fleet health check, or a user rule's condition, followed over
 * time. The evaluator (evaluate.ts) is pure: the previous alerts, what is observed now and the policy
 * in, the next alerts and the events to notify out. The database keeps the alerts and an outbox; the
 * channels send.
 */

/** What one evaluation sees for one alert key. Keys not observed at all are clear. */
export interface Observation {
  /** `rule|device|subject`: the same thing observed twice has the same key. */
  key: string;
  rule: string;
  device: string;
  domain: string;
  severity: Severity;
  /** One line, and the evidence behind it: the health check's own words. */
  what: string;
  evidence: string;
  /**
   * `active`: the condition holds. `hold`: between the fire and the clear thresholds of a rule with
   * hysteresis: an alert firing stays firing, one not firing does not start.
   */
  status: "active" | "hold";
}

export type AlertState = "pending" | "firing" | "resolved";

/** What an alert knows of its condition: the latest observation's words, without its status. */
export type AlertFacts = Omit<Observation, "status">;

export interface Alert extends AlertFacts {
  state: AlertState;
  /** When the condition started holding in this episode (pending, then firing). */
  activeSince: Date;
  /** When it started firing; null while pending. */
  firingSince: Date | null;
  /** While firing: when the condition stopped holding (it resolves after the clear period); else null. */
  clearSince: Date | null;
  /** When it was resolved; null unless resolved. */
  resolvedAt: Date | null;
  /**
   * Last firing (or repeat) notification; the repeat interval counts from it. Null while firing: the
   * alert waits for its group (evaluate.ts group wait) and has not been told yet.
   */
  notifiedAt: Date | null;
  /** Acknowledged: no repeat until the alert changes (severity, or it resolves and fires again). */
  ackedAt: Date | null;
  /** Fire/resolve times within the flap window, newest last. */
  flips: Date[];
  /** Toggling too often: one "flapping" notification, then quiet until it settles. */
  flapping: boolean;
}

/** How one rule's alerts behave; built-in rules take the defaults unless the config tunes them. */
export interface AlertPolicy {
  enabled: boolean;
  /** How long the condition must hold before the alert fires (0: at once). */
  forMs: number;
  /** How long the condition must stay clear before a firing alert resolves (hysteresis in time). */
  clearForMs: number;
  /** Notify again while firing and not acknowledged; null: never. */
  repeatMs: number | null;
  /** `count` fire/resolve flips within `windowMs` make the alert flapping. */
  flap: { count: number; windowMs: number };
}

export const DEFAULT_POLICY: AlertPolicy = {
  enabled: true,
  forMs: 5 * 60_000,
  clearForMs: 5 * 60_000,
  repeatMs: null,
  flap: { count: 4, windowMs: 60 * 60_000 },
};

/** Something to tell the channels about one alert. */
export interface AlertEvent {
  kind: "firing" | "resolved" | "repeat" | "flapping" | "severity_changed";
  alert: Alert;
  at: Date;
}

/** A mute: every field given must match; it ends at `until`. */
export interface Mute {
  device: string | null;
  rule: string | null;
  key: string | null;
  tag: string | null;
  until: Date;
}

export interface PlannedNotification extends Notification {
  /** The alerts it speaks for (one, or a group's). */
  alertKeys: string[];
}

export interface Plan {
  notifications: PlannedNotification[];
  /** Events not notified, with why (kept in the alert history). */
  suppressed: { event: AlertEvent; reason: "muted" | "inhibited" }[];
}
