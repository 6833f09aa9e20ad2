import type { AgentDomain } from "@infrastructor/agent/collectors/agent-domain.ts";
import type { AgentConfig } from "@infrastructor/agent/config.ts";
import type { Collector } from "@infrastructor/lib/collect/collector.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { createSmartCollector } from "./index.ts";
import { smartOptions } from "./options.ts";
import { SMART_PARSE_SOURCES } from "./parse-sources.ts";
import { preferSmartctlReadWrapper } from "./smartctl-read-wrapper.ts";

/** The smart domain's agent half: its collector from the agent's config, its parsers and options. */
export const smartAgent = {
  domain: "smart",
  options: smartOptions,
  parseSources: SMART_PARSE_SOURCES,
  build: (config: AgentConfig, executor: Executor): Collector<"smart"> =>
    createSmartCollector({ executor, ...preferSmartctlReadWrapper(config.domains.smart.options) }),
} satisfies AgentDomain<"smart">;
