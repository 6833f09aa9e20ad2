import type { AgentDomain } from "@infrastructor/agent/collectors/agent-domain.ts";
import type { AgentConfig } from "@infrastructor/agent/config.ts";
import type { Collector } from "@infrastructor/lib/collect/collector.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { createSystemCollector } from "./index.ts";
import { SYSTEM_PARSE_SOURCES } from "./parse-sources.ts";

/** The system domain's agent half: its collector from the agent's config, its parsers and options. */
export const systemAgent = {
  domain: "system",
  parseSources: SYSTEM_PARSE_SOURCES,
  build: (config: AgentConfig, executor: Executor): Collector<"system"> =>
    createSystemCollector({
      executor,
      procRoot: config.roots.proc,
      sysRoot: config.roots.sys,
      hostRoot: config.roots.host,
    }),
} satisfies AgentDomain<"system">;
