import type { EnvelopeError } from "@infrastructor/shared/envelope.ts";
import type { PollCollector } from "../src/safe-collect.ts";

/**
 * A real collector for tests: each collect() returns the next value of a counter, so a test can tell
 * exactly which samples arrived. `failEvery` makes every n-th collect throw, like a broken reader.
 */
export interface CounterCollector extends PollCollector {
  readonly primed: boolean;
  readonly collected: number;
}

export function createCounterCollector(
  options: { domain?: string; intervalMs?: number; failEvery?: number } = {},
): CounterCollector {
  let primed = false;
  let collected = 0;
  return {
    domain: options.domain ?? "counter",
    defaultIntervalMs: options.intervalMs ?? 200,
    get primed(): boolean {
      return primed;
    },
    get collected(): number {
      return collected;
    },
    async prime(): Promise<void> {
      primed = true;
    },
    async collect(): Promise<{ data: { count: number } | null; errors: EnvelopeError[] }> {
      collected += 1;
      if (options.failEvery !== undefined && collected % options.failEvery === 0) {
        throw new Error(`counter ${collected} failed on purpose`);
      }
      return { data: { count: collected }, errors: [] };
    },
  };
}
