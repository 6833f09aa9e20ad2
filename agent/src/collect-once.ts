import type { Envelope } from "@infrastructor/shared/envelope.ts";
import type { EnvelopeFactory } from "./envelope-factory.ts";
import type { Logger } from "./logger.ts";
import { collectSafely, type PollCollector, primeSafely } from "./safe-collect.ts";

/**
 * `agent --once`: one envelope per collector. Primes, waits `settleMs`, then collects, so counter-based
 * rates are present, as in a running agent's samples.
 */
export async function collectOnce(
  collectors: PollCollector[],
  factory: EnvelopeFactory,
  logger: Logger,
  settleMs = 1_000,
): Promise<Envelope[]> {
  await Promise.all(collectors.map((collector) => primeSafely(collector, logger)));
  await Bun.sleep(settleMs);
  return Promise.all(
    collectors.map(async (collector) => {
      const collectedAt = new Date();
      const result = await collectSafely(collector, logger);
      return factory.build(collector.domain, result, collectedAt);
    }),
  );
}
