import type { Observation } from "@infrastructor/lib/alerts/alert.ts";

/**
 * The dead-man's switch: a healthchecks.io-style URL pinged every `everyMs` while this collector is
 * healthy, so the monitor being down is noticed by something outside it. Missing pings are the alert;
 * a ping is sent only when `healthy()` says the collector works (database reachable, evaluation
 * running), so a collector up but useless is noticed too. The URL is a secret: it is never logged.
 */
export class DeadManSwitch {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  /** For /health and /metrics: the last ping's outcome. */
  last: { at: Date; ok: boolean; status: number | null } | null = null;

  constructor(
    private readonly options: {
      url: string;
      everyMs: number;
      healthy: () => Promise<boolean>;
      timeoutMs?: number;
      onFailure?: (reason: string) => void;
    },
  ) {}

  start(): void {
    this.stopped = false;
    void this.tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      if (await this.options.healthy()) await this.ping();
    } finally {
      if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.options.everyMs);
    }
  }

  /** One ping; failures are reported without the URL (it carries the check's secret id). */
  async ping(): Promise<void> {
    try {
      const response = await fetch(this.options.url, {
        method: "POST",
        body: "infrastructor collector alive",
        redirect: "error",
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      this.last = { at: new Date(), ok: response.ok, status: response.status };
      if (!response.ok) this.options.onFailure?.(`dead-man's switch ping answered HTTP ${response.status}`);
    } catch (err) {
      this.last = { at: new Date(), ok: false, status: null };
      const why = err instanceof Error ? err.name : "error";
      this.options.onFailure?.(`dead-man's switch ping failed (${why})`);
    }
  }
}

/**
 * No host at all has reported for `silentMs`: one fleet-wide alert, because then the fault is most
 * likely the pipeline (NATS, the collector, the network), not the hosts.
 */
export function fleetSilentObservation(
  lastSeen: readonly (Date | null)[],
  now: Date,
  silentMs: number,
): Observation | null {
  const seen = lastSeen.filter((d): d is Date => d !== null);
  if (seen.length === 0) return null;
  const newest = Math.max(...seen.map((d) => d.getTime()));
  const silent = now.getTime() - newest;
  if (silent < silentMs) return null;
  return {
    key: "fleet_silent|(fleet)|",
    rule: "fleet_silent",
    device: "(fleet)",
    domain: "agent",
    severity: "critical",
    what: "no host is reporting",
    evidence: `the newest report of ${seen.length} hosts is ${Math.round(silent / 60_000)} min old (alert after ${Math.round(silentMs / 60_000)} min)`,
    status: "active",
  };
}
