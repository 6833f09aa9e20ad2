import { AGENT_DOMAINS } from "@infrastructor/domains/agent.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";
import { z } from "zod";
import type { DomainOptionsSpec } from "./agent-domain.ts";

const NONE: DomainOptionsSpec = { schema: z.strictObject({}), env: [] };

/** A domain's settings beyond enabled and interval_s, as its agent half declares them (none when absent). */
export function optionsSpec(domain: Domain): DomainOptionsSpec {
  const { options } = AGENT_DOMAINS[domain] as { options?: DomainOptionsSpec };
  return options ?? NONE;
}

/** The parsed options of a domain, typed by its spec. */
export type DomainOptions<D extends Domain> = (typeof AGENT_DOMAINS)[D] extends {
  options: DomainOptionsSpec<infer S>;
}
  ? z.infer<S>
  : Record<string, never>;
