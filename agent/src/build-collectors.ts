import type { Domain } from "@infrastructor/shared/domains.ts";
import { createSystemCollector } from "./collectors/system/index.ts";
import type { AgentConfig } from "./config.ts";
import { LocalExecutor } from "./lib/local-executor.ts";
import type { PollCollector } from "./safe-collect.ts";

/** Every domain the agent can collect, built from config. A new domain adds one line here. */
const FACTORIES: Record<Domain, (config: AgentConfig) => PollCollector> = {
  system: (config) =>
    createSystemCollector({
      executor: new LocalExecutor(),
      procRoot: config.roots.proc,
      sysRoot: config.roots.sys,
      hostRoot: config.roots.host,
    }),
};

/** The enabled domains' collectors, in a stable order. */
export function buildCollectors(config: AgentConfig): PollCollector[] {
  return (Object.keys(FACTORIES) as Domain[])
    .filter((domain) => config.domains[domain].enabled)
    .map((domain) => FACTORIES[domain](config));
}
