import type { AgentDomain } from "@infrastructor/agent/collectors/agent-domain.ts";
import type { AgentConfig } from "@infrastructor/agent/config.ts";
import type { Collector } from "@infrastructor/lib/collect/collector.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { createNetworkCollector } from "./index.ts";
import { NETWORK_PARSE_SOURCES } from "./parse-sources.ts";

/** The network domain's agent half: its collector from the agent's config, its parsers and options. */
export const networkAgent = {
  domain: "network",
  parseSources: NETWORK_PARSE_SOURCES,
  build: (_config: AgentConfig, executor: Executor): Collector<"network"> =>
    createNetworkCollector({ executor }),
} satisfies AgentDomain<"network">;
