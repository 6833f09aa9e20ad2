import { AGENT_DOMAINS } from "@infrastructor/domains/agent.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";
import type { ParseSources } from "./collectors/agent-domain.ts";

/** Every domain's parsers, by source name, as each domain's agent half declares them. */
export const PARSE_SOURCES: { readonly [D in Domain]: ParseSources } = Object.fromEntries(
  Object.entries(AGENT_DOMAINS).map(([domain, agent]) => [domain, agent.parseSources]),
) as { readonly [D in Domain]: ParseSources };
