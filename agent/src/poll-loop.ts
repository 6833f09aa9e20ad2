import type { Logger } from "./logger.ts";
import { collectSafely, type PollCollector, type PollResult, primeSafely } from "./safe-collect.ts";

/** Delay from a collector's prime to its first poll: long enough for rates, short enough to see data at once. */
export const FIRST_POLL_MS = 1_000;

export interface PollEntry {
  collector: PollCollector;
  intervalMs: number;
}

export interface PollLoopOptions {
  entries: PollEntry[];
  /** One call per poll, in the order of that collector's polls. */
  onResult(domain: string, result: PollResult, collectedAt: Date): void;
  logger: Logger;
}

export interface PollLoop {
  /** Stops scheduling; waits up to graceMs for polls in progress (their results are still delivered). */
  stop(graceMs: number): Promise<void>;
}

/**
 * Primes each collector, polls it once a second later, then on a fixed grid (start + n * interval), so lateness never
 * accumulates. Each collector runs on its own chain: a slow one delays only itself, and a poll that
 * overruns its interval skips the ticks it missed rather than queueing them.
 */
export function startPolling(options: PollLoopOptions): PollLoop {
  let stopped = false;
  const cancels = new Set<() => void>();
  const sleepUntil = (at: number): Promise<void> =>
    new Promise((resolve) => {
      const cancel = (): void => {
        clearTimeout(timer);
        cancels.delete(cancel);
        resolve();
      };
      const timer = setTimeout(cancel, Math.max(0, at - Date.now()));
      cancels.add(cancel);
    });

  async function run({ collector, intervalMs }: PollEntry): Promise<void> {
    const log = options.logger.child({ domain: collector.domain });
    await primeSafely(collector, log);
    const start = Date.now();
    // The first poll comes soon after the start (a 6 h inventory must not wait 6 h), then the grid.
    let tick = intervalMs <= FIRST_POLL_MS ? 1 : 0;
    // "unavailable" is said once per change of state (and reason), not on every poll.
    let lastUnavailable: string | null = null;
    while (!stopped) {
      await sleepUntil(tick === 0 ? start + FIRST_POLL_MS : start + tick * intervalMs);
      if (stopped) return;
      const collectedAt = new Date();
      const result = await collectSafely(collector, log);
      const unavailable = result.unavailable
        ? `${result.unavailable.code}:${result.unavailable.reason}`
        : null;
      const repeated = unavailable !== null && unavailable === lastUnavailable;
      if (unavailable !== lastUnavailable && unavailable !== null) {
        log.info({ unavailable: result.unavailable }, "domain unavailable on this host");
      }
      lastUnavailable = unavailable;
      try {
        if (!repeated) options.onResult(collector.domain, result, collectedAt);
      } catch (err) {
        // The sample is lost, but this collector's chain must not end with it.
        log.error({ err }, "could not hand a sample on");
      }
      const due = Math.floor((Date.now() - start) / intervalMs) + 1;
      if (tick > 0 && due > tick + 1)
        log.warn({ skipped: due - tick - 1, intervalMs }, "poll overran its interval");
      tick = Math.max(tick + 1, due);
    }
  }

  const running = options.entries.map((entry) => run(entry));
  return {
    async stop(graceMs: number): Promise<void> {
      stopped = true;
      for (const cancel of [...cancels]) cancel();
      let timer: Timer | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([Promise.all(running), grace]);
      clearTimeout(timer);
    },
  };
}
