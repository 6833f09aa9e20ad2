import type { AgentDomain } from "@infrastructor/agent/collectors/agent-domain.ts";
import type { AgentConfig } from "@infrastructor/agent/config.ts";
import type { Collector } from "@infrastructor/lib/collect/collector.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { buildLogsCollector } from "./from-options.ts";
import { logsOptions } from "./options.ts";
import { LOGS_PARSE_SOURCES } from "./parse-sources.ts";

/** The logs domain's agent half: its collector from the agent's config, its parsers and options. */
export const logsAgent = {
  domain: "logs",
  options: logsOptions,
  parseSources: LOGS_PARSE_SOURCES,
  build: (config: AgentConfig, executor: Executor): Collector<"logs"> =>
    buildLogsCollector(executor, config.roots.host, config.domains.logs.options),
} satisfies AgentDomain<"logs">;
