import { createBackupsCollector } from "@infrastructor/domains/backups/agent/index.ts";
import { createDockerCollector } from "@infrastructor/domains/docker/agent/index.ts";
import { createInventoryCollector } from "@infrastructor/domains/inventory/agent/index.ts";
import { buildLogsCollector } from "@infrastructor/domains/logs/agent/from-options.ts";
import { createNetworkCollector } from "@infrastructor/domains/network/agent/index.ts";
import { createSmartCollector } from "@infrastructor/domains/smart/agent/index.ts";
import { preferSmartctlReadWrapper } from "@infrastructor/domains/smart/agent/smartctl-read-wrapper.ts";
import { createSystemCollector } from "@infrastructor/domains/system/agent/index.ts";
import { createUpdatesCollector } from "@infrastructor/domains/updates/agent/index.ts";
import { createVmsCollector } from "@infrastructor/domains/vms/agent/index.ts";
import { createZfsCollector } from "@infrastructor/domains/zfs/agent/index.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";
import type { Collector } from "./collectors/collector.ts";
import type { AgentConfig } from "./config.ts";
import type { PollCollector } from "./safe-collect.ts";

/**
 * How each domain's collector is built from the agent's config. The executor is the agent's local
 * one; the MCP server's live fallback builds the same collectors over SSH. A new domain adds one
 * line here (and its options in collectors/domain-options.ts).
 */
type Factory<D extends Domain> = (config: AgentConfig, executor: Executor) => Collector<D>;

const FACTORIES: { readonly [D in Domain]?: Factory<D> } = {
  system: (config, executor) =>
    createSystemCollector({
      executor,
      procRoot: config.roots.proc,
      sysRoot: config.roots.sys,
      hostRoot: config.roots.host,
    }),
  smart: (config, executor) =>
    createSmartCollector({ executor, ...preferSmartctlReadWrapper(config.domains.smart.options) }),
  inventory: (config, executor) =>
    createInventoryCollector({ executor, procRoot: config.roots.proc, sysRoot: config.roots.sys }),
  network: (_config, executor) => createNetworkCollector({ executor }),
  vms: (_config, executor) => createVmsCollector({ executor }),
  updates: (config, executor) =>
    createUpdatesCollector({
      executor,
      hostRoot: config.roots.host,
      dockerSocket: config.domains.docker.options.socket,
    }),
  docker: (config, executor) => createDockerCollector({ executor, ...config.domains.docker.options }),
  logs: (config, executor) => buildLogsCollector(executor, config.roots.host, config.domains.logs.options),
  zfs: (config, executor) =>
    createZfsCollector({ executor, procRoot: config.roots.proc, ...config.domains.zfs.options }),
  backups: (config, executor) => createBackupsCollector({ executor, ...config.domains.backups.options }),
};

/** One domain's collector: the MCP server's live fallback runs exactly what the agent runs. */
export function buildCollector<D extends Domain>(
  domain: D,
  config: AgentConfig,
  executor: Executor,
): Collector<D> {
  const factory = FACTORIES[domain] as Factory<D> | undefined;
  if (factory === undefined) throw new Error(`no collector for domain ${domain}`);
  return factory(config, executor);
}

/** The enabled domains' collectors, in a stable order. */
export function buildCollectors(
  config: AgentConfig,
  executor: Executor = new LocalExecutor(),
): PollCollector[] {
  return (Object.keys(FACTORIES) as Domain[])
    .filter((domain) => config.domains[domain].enabled)
    .map((domain) => (FACTORIES[domain] as Factory<Domain>)(config, executor));
}
