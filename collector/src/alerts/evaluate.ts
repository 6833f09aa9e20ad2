import type {
  Alert,
  AlertEvent,
  AlertFacts,
  AlertPolicy,
  Observation,
} from "@infrastructor/lib/alerts/alert.ts";
import { groupBy } from "@infrastructor/shared/group-by.ts";

export interface Evaluation {
  /** Every alert still followed: pending, firing, and resolved ones whose flips are still in the flap window. */
  alerts: Map<string, Alert>;
  /** What changed, to notify (muting, inhibition and grouping are the notification plan's). */
  events: AlertEvent[];
}

export interface EvaluateOptions {
  /**
   * How long a newly firing alert waits to be told, so the others of its rule and severity that fire
   * meanwhile are told with it (one grouped notification). A switch that dies silences its hosts one
   * by one over an agent interval, not in one evaluation. 0: each is told as it fires.
   */
  groupWaitMs: number;
}

/**
 * One evaluation of the alert state machine, pure. An alert is pending while its condition holds for
 * less than the rule's `for`, firing after, and resolved once the condition has stayed clear for
 * `clearFor`. A firing alert repeats its notification every `repeat` unless acknowledged; a change
 * of severity notifies again and ends the acknowledgement. An alert that flips between firing and
 * resolved `flap.count` times within `flap.window` becomes flapping: one notification, then nothing
 * until it has not flipped for a whole window, when its settled state is notified.
 *
 * With a group wait, a firing alert is not told at once (notifiedAt stays null: it is owed). Once the
 * oldest owed alert of a rule and severity has waited groupWaitMs, all of them are told together. One
 * that resolves, or is acknowledged, before it was told is never told.
 */
export function evaluateAlerts(
  previous: ReadonlyMap<string, Alert>,
  observations: readonly Observation[],
  now: Date,
  policyOf: (rule: string) => AlertPolicy,
  options: EvaluateOptions = { groupWaitMs: 0 },
): Evaluation {
  const observed = new Map(observations.map((o) => [o.key, o]));
  const keys = new Set([...previous.keys(), ...observed.keys()]);
  const alerts = new Map<string, Alert>();
  const events: AlertEvent[] = [];
  for (const key of [...keys].sort()) {
    const before = previous.get(key);
    const o = observed.get(key);
    const policy = policyOf(o?.rule ?? before?.rule ?? "");
    if (!policy.enabled) continue; // a rule turned off forgets its alerts, silently
    const after = step(before, o, now, policy, events, options.groupWaitMs > 0);
    if (after !== null) alerts.set(key, after);
  }
  if (options.groupWaitMs > 0) releaseOwed(alerts, events, now, options.groupWaitMs);
  return { alerts, events };
}

/** Tells the owed firing alerts of each rule and severity together, once the oldest has waited long enough. */
function releaseOwed(alerts: Map<string, Alert>, events: AlertEvent[], now: Date, waitMs: number): void {
  const owed = groupBy(
    [...alerts.values()].filter((a) => a.state === "firing" && a.notifiedAt === null && !a.flapping),
    (a) => `${a.rule}|${a.severity}`,
  );
  for (const group of owed.values()) {
    const oldest = Math.min(...group.map((a) => (a.firingSince ?? now).getTime()));
    if (now.getTime() - oldest < waitMs) continue;
    for (const a of group) {
      const told = { ...a, notifiedAt: now };
      alerts.set(a.key, told);
      // Acknowledged before it was told: the operator knows already.
      if (a.ackedAt === null) events.push({ kind: "firing", alert: told, at: a.firingSince ?? now });
    }
  }
}

function step(
  before: Alert | undefined,
  o: Observation | undefined,
  now: Date,
  policy: AlertPolicy,
  events: AlertEvent[],
  holdFiring: boolean,
): Alert | null {
  const flips = (before?.flips ?? []).filter((t) => now.getTime() - t.getTime() < policy.flap.windowMs);
  let alert: Alert | null = before === undefined ? null : { ...before, flips };
  const emit = (kind: AlertEvent["kind"], a: Alert): void => {
    if (!a.flapping || kind === "flapping") events.push({ kind, alert: a, at: now });
  };

  if (alert === null || alert.state === "resolved") {
    // Not firing: only a condition that holds (not one in the hysteresis band) starts an episode.
    if (o?.status === "active") {
      alert = {
        ...(alert ?? { flips, flapping: false, ackedAt: null, notifiedAt: null }),
        ...facts(o),
        state: "pending",
        activeSince: now,
        firingSince: null,
        clearSince: null,
        resolvedAt: null,
        ackedAt: null,
      };
    }
  } else if (alert.state === "pending") {
    alert = o?.status === "active" ? { ...alert, ...facts(o) } : null;
  } else if (o === undefined) {
    // Firing, condition clear: resolve once it has stayed clear for the clear period.
    const clearSince = alert.clearSince ?? now;
    alert = { ...alert, clearSince };
    if (now.getTime() - clearSince.getTime() >= policy.clearForMs) {
      alert = {
        ...alert,
        state: "resolved",
        resolvedAt: now,
        clearSince: null,
        flips: [...alert.flips, now],
      };
      const told = alert.notifiedAt !== null;
      alert = flapCheck(alert, policy, emit) ?? alert;
      // Over before it was told (it waited to be grouped): nobody heard of it, so nothing to take back.
      if (told) emit("resolved", alert);
    }
  } else {
    // Firing and still holding (or in the band): news only when the severity moves, or a repeat is due.
    const severityChanged = o.severity !== alert.severity;
    alert = { ...alert, ...facts(o), clearSince: null };
    if (alert.notifiedAt === null) {
      // Owed (waiting to be grouped): it will be told as it is then, severity included.
    } else if (severityChanged) {
      alert = { ...alert, ackedAt: null, notifiedAt: now };
      emit("severity_changed", alert);
    } else if (
      policy.repeatMs !== null &&
      alert.ackedAt === null &&
      alert.notifiedAt !== null &&
      now.getTime() - alert.notifiedAt.getTime() >= policy.repeatMs
    ) {
      alert = { ...alert, notifiedAt: now };
      emit("repeat", alert);
    }
  }

  if (alert?.state === "pending" && now.getTime() - alert.activeSince.getTime() >= policy.forMs) {
    const notifiedAt = holdFiring ? null : now;
    alert = { ...alert, state: "firing", firingSince: now, notifiedAt, flips: [...alert.flips, now] };
    alert = flapCheck(alert, policy, emit) ?? alert;
    if (!holdFiring) emit("firing", alert);
  }

  if (alert === null) return null;
  if (alert.flapping && alert.flips.length === 0) {
    // Settled: a whole window without a flip. Say where it settled, once.
    alert = { ...alert, flapping: false };
    if (alert.state === "firing") {
      alert = { ...alert, notifiedAt: now };
      emit("firing", alert);
    } else if (alert.state === "resolved") emit("resolved", alert);
  }
  // A resolved alert is kept only while its flips can still make it flapping.
  if (alert.state === "resolved" && alert.flips.length === 0 && !alert.flapping) {
    return before?.state === "resolved" ? null : alert;
  }
  return alert;
}

function flapCheck(
  alert: Alert,
  policy: AlertPolicy,
  emit: (kind: AlertEvent["kind"], a: Alert) => void,
): Alert | null {
  if (alert.flapping || alert.flips.length < policy.flap.count) return null;
  const flapping = { ...alert, flapping: true };
  emit("flapping", flapping);
  return flapping;
}

function facts(o: Observation): AlertFacts {
  const { status: _status, ...rest } = o;
  return rest;
}
