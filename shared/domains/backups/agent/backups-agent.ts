import type { AgentDomain } from "@infrastructor/agent/collectors/agent-domain.ts";
import type { AgentConfig } from "@infrastructor/agent/config.ts";
import type { Collector } from "@infrastructor/lib/collect/collector.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { createBackupsCollector } from "./index.ts";
import { backupsOptions } from "./options.ts";
import { BACKUPS_PARSE_SOURCES } from "./parse-sources.ts";

/** The backups domain's agent half: its collector from the agent's config, its parsers and options. */
export const backupsAgent = {
  domain: "backups",
  options: backupsOptions,
  parseSources: BACKUPS_PARSE_SOURCES,
  build: (config: AgentConfig, executor: Executor): Collector<"backups"> =>
    createBackupsCollector({ executor, ...config.domains.backups.options }),
} satisfies AgentDomain<"backups">;
