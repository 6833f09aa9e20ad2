import { AGENT_DOMAINS } from "@infrastructor/domains/agent.ts";
import type { Collector } from "@infrastructor/lib/collect/collector.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";
import type { AgentDomain } from "./collectors/agent-domain.ts";
import type { AgentConfig } from "./config.ts";
import type { PollCollector } from "./safe-collect.ts";

/** One domain's collector: the MCP server's live fallback runs exactly what the agent runs. */
export function buildCollector<D extends Domain>(
  domain: D,
  config: AgentConfig,
  executor: Executor,
): Collector<D> {
  const agent = AGENT_DOMAINS[domain] as AgentDomain<D>;
  return agent.build(config, executor);
}

/** The enabled domains' collectors, in a stable order. */
export function buildCollectors(
  config: AgentConfig,
  executor: Executor = new LocalExecutor(),
): PollCollector[] {
  return (Object.keys(AGENT_DOMAINS) as Domain[])
    .filter((domain) => config.domains[domain].enabled)
    .map((domain) => buildCollector(domain, config, executor));
}
