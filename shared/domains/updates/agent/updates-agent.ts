import type { AgentDomain } from "@infrastructor/agent/collectors/agent-domain.ts";
import type { AgentConfig } from "@infrastructor/agent/config.ts";
import type { Collector } from "@infrastructor/lib/collect/collector.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { createUpdatesCollector } from "./index.ts";
import { UPDATES_PARSE_SOURCES } from "./parse-sources.ts";

/** The updates domain's agent half: its collector from the agent's config, its parsers and options. */
export const updatesAgent = {
  domain: "updates",
  parseSources: UPDATES_PARSE_SOURCES,
  build: (config: AgentConfig, executor: Executor): Collector<"updates"> =>
    createUpdatesCollector({
      executor,
      hostRoot: config.roots.host,
      // apt/dnf run in containers too: the docker domain's socket is where to ask.
      dockerSocket: config.domains.docker.options.socket,
    }),
} satisfies AgentDomain<"updates">;
