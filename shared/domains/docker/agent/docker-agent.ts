import type { AgentDomain } from "@infrastructor/agent/collectors/agent-domain.ts";
import type { AgentConfig } from "@infrastructor/agent/config.ts";
import type { Collector } from "@infrastructor/lib/collect/collector.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { createDockerCollector } from "./index.ts";
import { dockerOptions } from "./options.ts";
import { DOCKER_PARSE_SOURCES } from "./parse-sources.ts";

/** The docker domain's agent half: its collector from the agent's config, its parsers and options. */
export const dockerAgent = {
  domain: "docker",
  options: dockerOptions,
  parseSources: DOCKER_PARSE_SOURCES,
  build: (config: AgentConfig, executor: Executor): Collector<"docker"> =>
    createDockerCollector({ executor, ...config.domains.docker.options }),
} satisfies AgentDomain<"docker">;
