import type { AgentDomain } from "@infrastructor/agent/collectors/agent-domain.ts";
import type { AgentConfig } from "@infrastructor/agent/config.ts";
import type { Collector } from "@infrastructor/lib/collect/collector.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { createUpsCollector } from "./index.ts";
import { UPS_PARSE_SOURCES } from "./parse-sources.ts";

/** The ups domain's agent half: its collector from the agent's config, its parsers. */
export const upsAgent = {
  domain: "ups",
  parseSources: UPS_PARSE_SOURCES,
  build: (_config: AgentConfig, executor: Executor): Collector<"ups"> => createUpsCollector({ executor }),
} satisfies AgentDomain<"ups">;
