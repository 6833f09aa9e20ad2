import type { EnvelopeError, Unavailable } from "@infrastructor/shared/envelope.ts";
import { toAppError } from "@infrastructor/shared/errors.ts";
import type { Logger } from "./logger.ts";

/**
 * What the agent needs of a collector. `Collector<D>` (collectors/collector.ts) fits it; the loop and
 * the publisher do not care about a domain's data type, so tests can run a collector of their own.
 */
export interface PollCollector {
  readonly domain: string;
  readonly defaultIntervalMs: number;
  prime?(): Promise<void>;
  collect(): Promise<PollResult>;
}

export interface PollResult {
  data: unknown;
  errors: EnvelopeError[];
  unavailable?: Unavailable;
}

/** A failed prime only costs the first sample its rates; the agent carries on. */
export async function primeSafely(collector: PollCollector, logger: Logger): Promise<void> {
  try {
    await collector.prime?.();
  } catch (err) {
    logger.warn({ err, domain: collector.domain }, "prime failed; the first sample will lack rates");
  }
}

/** A collector that throws still yields a result: data null and the error, so the gap is explained. */
export async function collectSafely(collector: PollCollector, logger: Logger): Promise<PollResult> {
  try {
    return await collector.collect();
  } catch (err) {
    const appError = toAppError(err);
    logger.warn({ err, domain: collector.domain }, "collect failed");
    return {
      data: null,
      errors: [{ code: appError.code, message: appError.message, source: collector.domain }],
    };
  }
}
