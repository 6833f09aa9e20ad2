import type { AgentDomain } from "@infrastructor/agent/collectors/agent-domain.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";
import { backupsAgent } from "./backups/agent/backups-agent.ts";
import { dockerAgent } from "./docker/agent/docker-agent.ts";
import { inventoryAgent } from "./inventory/agent/inventory-agent.ts";
import { logsAgent } from "./logs/agent/logs-agent.ts";
import { networkAgent } from "./network/agent/network-agent.ts";
import { smartAgent } from "./smart/agent/smart-agent.ts";
import { systemAgent } from "./system/agent/system-agent.ts";
import { updatesAgent } from "./updates/agent/updates-agent.ts";
import { upsAgent } from "./ups/agent/ups-agent.ts";
import { vmsAgent } from "./vms/agent/vms-agent.ts";
import { zfsAgent } from "./zfs/agent/zfs-agent.ts";

/**
 * Every domain's agent half, one line each, in the order the agent starts them. Nothing here may
 * import a domain's server/ half: the compiled agent must not carry the database or MCP code
 * (agent/test/agent-imports.test.ts holds it).
 */
export const AGENT_DOMAINS = {
  system: systemAgent,
  smart: smartAgent,
  docker: dockerAgent,
  zfs: zfsAgent,
  backups: backupsAgent,
  updates: updatesAgent,
  logs: logsAgent,
  inventory: inventoryAgent,
  network: networkAgent,
  vms: vmsAgent,
  ups: upsAgent,
} as const satisfies { readonly [D in Domain]: AgentDomain<D> };
