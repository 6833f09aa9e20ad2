import { DOMAINS, type Domain, isKnownDomain } from "@infrastructor/shared/domains.ts";
import { parseDurationMs } from "@infrastructor/shared/duration.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { z } from "zod";

/** When stored data counts as stale: a multiple of the interval, or a fixed age per domain. */
export interface StalenessConfig {
  staleFactor: number;
  staleAfterMs: Partial<Record<Domain, number>>;
}

/**
 * The staleness variables, read by every program that judges stored data (the MCP server, `infra
 * status`) so both call the same data stale; a program's config spreads `.shape` into its own schema.
 */
export const StalenessEnvSchema = z.object({
  MCP_STALE_FACTOR: z.coerce.number().min(1).max(100).default(3),
  MCP_STALE_AFTER: z.string().default(""),
});

export function stalenessFromEnv(e: z.infer<typeof StalenessEnvSchema>): StalenessConfig {
  return { staleFactor: e.MCP_STALE_FACTOR, staleAfterMs: parseStaleAfter(e.MCP_STALE_AFTER) };
}

/** "docker=2m,system=45s" -> { docker: 120000, system: 45000 }; an unknown domain is an error. */
export function parseStaleAfter(text: string): Partial<Record<Domain, number>> {
  const out: Partial<Record<Domain, number>> = {};
  for (const item of text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")) {
    const [domain, value] = item.split("=", 2);
    const ms = value === undefined ? null : parseDurationMs(value);
    if (domain === undefined || !isKnownDomain(domain) || ms === null) {
      throw new AppError(
        ErrorCode.CONFIG_INVALID,
        `MCP_STALE_AFTER: "${item}" is not DOMAIN=DURATION with a known domain (e.g. docker=2m)`,
      );
    }
    out[domain] = ms;
  }
  return out;
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
