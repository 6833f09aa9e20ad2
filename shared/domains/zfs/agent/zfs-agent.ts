import type { AgentDomain } from "@infrastructor/agent/collectors/agent-domain.ts";
import type { AgentConfig } from "@infrastructor/agent/config.ts";
import type { Collector } from "@infrastructor/lib/collect/collector.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { createZfsCollector } from "./index.ts";
import { zfsOptions } from "./options.ts";
import { ZFS_PARSE_SOURCES } from "./parse-sources.ts";

/** The zfs domain's agent half: its collector from the agent's config, its parsers and options. */
export const zfsAgent = {
  domain: "zfs",
  options: zfsOptions,
  parseSources: ZFS_PARSE_SOURCES,
  build: (config: AgentConfig, executor: Executor): Collector<"zfs"> =>
    createZfsCollector({ executor, procRoot: config.roots.proc, ...config.domains.zfs.options }),
} satisfies AgentDomain<"zfs">;
