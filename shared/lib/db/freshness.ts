import { DOMAINS, type Domain } from "@infrastructor/shared/domains.ts";

/** When stored data counts as stale: a multiple of the interval, or a fixed age per domain. */
export interface StalenessConfig {
  staleFactor: number;
  staleAfterMs: Partial<Record<Domain, number>>;
}

/**
 * Each domain's collection interval, from the domain's own declaration (the agent's collectors read
 * the same one, so the two never disagree), and the age beyond which stored data counts as stale.
 */
export class Freshness {
  readonly intervalMs: Record<Domain, number>;

  constructor(private readonly config: StalenessConfig) {
    this.intervalMs = Object.fromEntries(
      Object.entries(DOMAINS).map(([name, spec]) => [name, spec.intervalMs]),
    ) as Record<Domain, number>;
  }

  staleAfterMs(domain: Domain): number {
    return this.config.staleAfterMs[domain] ?? this.config.staleFactor * this.intervalMs[domain];
  }

  isStale(domain: Domain, observedAt: Date | null, now: Date): boolean {
    return observedAt === null || now.getTime() - observedAt.getTime() > this.staleAfterMs(domain);
  }
}
