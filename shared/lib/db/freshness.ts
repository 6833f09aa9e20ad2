import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";
import { DomainSchemas } from "@infrastructor/shared/domains.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { buildCollector } from "../../../agent/src/build-collectors.ts";
import { configFromObject } from "../../../agent/src/config.ts";

/** Building a collector does no I/O; this executor proves it by refusing everything. */
const NO_IO: Executor = {
  kind: "local",
  run: refuse,
  readFile: refuse,
  listDir: refuse,
  statfs: refuse,
};
function refuse(): never {
  throw new AppError(ErrorCode.INTERNAL, "no I/O while reading collector defaults");
}

/** When stored data counts as stale: a multiple of the interval, or a fixed age per domain. */
export interface StalenessConfig {
  staleFactor: number;
  staleAfterMs: Partial<Record<Domain, number>>;
}

/**
 * Each domain's collection interval, read from the agent's own collectors so the two never disagree,
 * and the age beyond which stored data counts as stale.
 */
export class Freshness {
  readonly intervalMs: Record<Domain, number>;

  constructor(private readonly config: StalenessConfig) {
    const agentDefaults = configFromObject({ host: "defaults" });
    this.intervalMs = Object.fromEntries(
      (Object.keys(DomainSchemas) as Domain[]).map((d) => [
        d,
        buildCollector(d, agentDefaults, NO_IO).defaultIntervalMs,
      ]),
    ) as Record<Domain, number>;
  }

  staleAfterMs(domain: Domain): number {
    return this.config.staleAfterMs[domain] ?? this.config.staleFactor * this.intervalMs[domain];
  }

  isStale(domain: Domain, observedAt: Date | null, now: Date): boolean {
    return observedAt === null || now.getTime() - observedAt.getTime() > this.staleAfterMs(domain);
  }
}
