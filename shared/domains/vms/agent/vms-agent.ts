import type { AgentDomain } from "@infrastructor/agent/collectors/agent-domain.ts";
import type { AgentConfig } from "@infrastructor/agent/config.ts";
import type { Collector } from "@infrastructor/lib/collect/collector.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { createVmsCollector } from "./index.ts";
import { VMS_PARSE_SOURCES } from "./parse-sources.ts";

/** The vms domain's agent half: its collector from the agent's config, its parsers and options. */
export const vmsAgent = {
  domain: "vms",
  parseSources: VMS_PARSE_SOURCES,
  build: (_config: AgentConfig, executor: Executor): Collector<"vms"> => createVmsCollector({ executor }),
} satisfies AgentDomain<"vms">;
