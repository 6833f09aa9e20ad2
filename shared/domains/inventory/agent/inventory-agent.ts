import type { AgentDomain } from "@infrastructor/agent/collectors/agent-domain.ts";
import type { AgentConfig } from "@infrastructor/agent/config.ts";
import type { Collector } from "@infrastructor/lib/collect/collector.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { createInventoryCollector } from "./index.ts";
import { INVENTORY_PARSE_SOURCES } from "./parse-sources.ts";

/** The inventory domain's agent half: its collector from the agent's config, its parsers and options. */
export const inventoryAgent = {
  domain: "inventory",
  parseSources: INVENTORY_PARSE_SOURCES,
  build: (config: AgentConfig, executor: Executor): Collector<"inventory"> =>
    createInventoryCollector({ executor, procRoot: config.roots.proc, sysRoot: config.roots.sys }),
} satisfies AgentDomain<"inventory">;
