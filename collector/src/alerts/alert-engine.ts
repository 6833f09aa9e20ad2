import { type AlertPolicy, DEFAULT_POLICY, type Observation } from "@infrastructor/lib/alerts/alert.ts";
import {
  type ChannelsOf,
  loadActiveMutes,
  loadWorkingSet,
  lockAlerts,
  saveEvaluation,
} from "@infrastructor/lib/alerts/alert-store.ts";
import type { Logger } from "pino";
import type { Sql } from "postgres";
import { dailyDigest } from "./digest.ts";
import { evaluateAlerts } from "./evaluate.ts";
import type { LeaderElection } from "./leader.ts";
import { missedWhileMuted } from "./missed-while-muted.ts";
import { planNotifications } from "./notify-plan.ts";
import type { OutboxSender } from "./outbox-sender.ts";

export interface AlertEngineDeps {
  sql: Sql;
  leader: LeaderElection;
  /** The fleet's findings now, as observations (the health check's rules and the user's). */
  observe: () => Promise<Observation[]>;
  policyOf?: (rule: string) => AlertPolicy;
  tagsOf?: (device: string) => readonly string[];
  channelsOf: ChannelsOf;
  /** Null: this collector evaluates but leaves sending to the others. */
  sender: OutboxSender | null;
  logger?: Pick<Logger, "warn" | "error">;
}

export interface AlertEngineOptions {
  /** Evaluation interval; a follower asks for the lead as often, so failover takes at most one. */
  intervalMs: number;
  /** How often the outbox is looked at (retries are due by their own backoff). */
  sendIntervalMs: number;
  /** This many hosts or more with the same news at once make one notification. */
  groupAtLeast: number;
  /** How long a newly firing alert waits for others of its rule to be told with it (evaluate.ts). */
  groupWaitMs: number;
  /** The daily digest's UTC minute of the day (digest.ts); null: none. */
  digestAtMinute: number | null;
  clock: () => Date;
}

export const DEFAULT_ENGINE_OPTIONS: AlertEngineOptions = {
  intervalMs: 30_000,
  sendIntervalMs: 5_000,
  groupAtLeast: 3,
  // Alertmanager's group_wait: hosts a dead switch silences one by one over an agent interval are one message.
  groupWaitMs: 30_000,
  digestAtMinute: null,
  clock: () => new Date(),
};

export type CycleOutcome =
  | { led: false }
  | { led: true; alerts: number; events: number; notifications: number; suppressed: number };

/**
 * The alert engine's two loops. Evaluation, on the leader only: observe the fleet, run the state
 * machine over the stored alerts, plan the notifications, and write the alerts, their history and
 * the outbox in one transaction fenced by the leadership. Sending, on every collector: the outbox's
 * claims keep two senders off one row. Each loop waits for its previous round to end before the next
 * is scheduled, so rounds never overlap, and stop() waits for the round in flight.
 */
export class AlertEngine {
  private readonly options: AlertEngineOptions;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private evaluating: Promise<unknown> = Promise.resolve();
  private sending: Promise<unknown> = Promise.resolve();
  private readonly stopping = new AbortController();

  constructor(
    private readonly deps: AlertEngineDeps,
    options: Partial<AlertEngineOptions> = {},
  ) {
    this.options = { ...DEFAULT_ENGINE_OPTIONS, ...options };
  }

  start(): void {
    // The first evaluation at once: a restarted collector picks up where the last one left off.
    this.loop(() => this.evaluate(), this.options.intervalMs, "evaluation", 0);
    if (this.deps.sender !== null) this.loop(() => this.send(), this.options.sendIntervalMs, "sending");
  }

  /** Ends both loops after their current round, and gives up the lead so another collector takes it at once. */
  async stop(): Promise<void> {
    this.stopping.abort();
    for (const t of this.timers.values()) clearTimeout(t);
    await Promise.allSettled([this.evaluating, this.sending]);
    await this.deps.leader.resign();
  }

  /** One evaluation round (serialized with any other); `{ led: false }` on a follower. */
  evaluate(now: Date = this.options.clock()): Promise<CycleOutcome> {
    const round = this.evaluating.catch(() => undefined).then(() => this.evaluateRound(now));
    this.evaluating = round;
    return round;
  }

  /** One sending round (serialized with any other). */
  send(): Promise<unknown> {
    const sender = this.deps.sender;
    if (sender === null) return Promise.resolve();
    const round = this.sending.catch(() => undefined).then(() => sender.sendDue(this.stopping.signal));
    this.sending = round;
    return round;
  }

  private async evaluateRound(now: Date): Promise<CycleOutcome> {
    const { sql, leader } = this.deps;
    if (!(await leader.check())) return { led: false };
    const observations = await this.deps.observe();
    const policyOf = this.deps.policyOf ?? (() => DEFAULT_POLICY);
    return await sql.begin(async (tx): Promise<CycleOutcome> => {
      // Lost the lead since the check (its session died): another collector evaluates now.
      if (!(await leader.stillLeads(tx))) return { led: false };
      await lockAlerts(tx);
      const previous = await loadWorkingSet(tx);
      const mutes = await loadActiveMutes(tx, now);
      const { alerts, events } = evaluateAlerts(previous, observations, now, policyOf, {
        groupWaitMs: this.options.groupWaitMs,
      });
      const down = new Set(
        [...alerts.values()]
          .filter((a) => a.rule === "host_down" && a.state === "firing")
          .map((a) => a.device),
      );
      const tagsOf = this.deps.tagsOf ?? (() => []);
      // A mute that ended, or a host back up, while their alerts still fire: tell those now, once.
      events.push(...(await missedWhileMuted(tx, alerts, events, mutes, down, now, tagsOf)));
      const plan = planNotifications(events, {
        now,
        mutes,
        tagsOf,
        down,
        groupAtLeast: this.options.groupAtLeast,
      });
      const digest =
        this.options.digestAtMinute === null ? null : dailyDigest(alerts, now, this.options.digestAtMinute);
      // Queued at every evaluation after the hour; the outbox keeps one per channel and day (its key).
      if (digest !== null) plan.notifications.push(digest);
      await saveEvaluation(tx, alerts, events, plan, this.deps.channelsOf, previous);
      return {
        led: true,
        alerts: alerts.size,
        events: events.length,
        notifications: plan.notifications.length,
        suppressed: plan.suppressed.length,
      };
    });
  }

  /** Schedules `round` after `delayMs`, and the next one `everyMs` after it ended (never two at once). */
  private loop(round: () => Promise<unknown>, everyMs: number, what: string, delayMs = everyMs): void {
    if (this.stopping.signal.aborted) return;
    const timer = setTimeout(() => {
      round()
        .catch((error: unknown) => this.deps.logger?.warn({ err: error }, `alert ${what} round failed`))
        .finally(() => this.loop(round, everyMs, what));
    }, delayMs);
    this.timers.set(what, timer);
  }
}
