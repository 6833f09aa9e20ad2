import type { Domain } from "@infrastructor/shared/domains.ts";
import { backupsServer } from "./backups/server/backups-server.ts";
import { dockerServer } from "./docker/server/docker-server.ts";
import { inventoryServer } from "./inventory/server/inventory-server.ts";
import { logsServer } from "./logs/server/logs-server.ts";
import { networkServer } from "./network/server/network-server.ts";
import type { ServerDomain } from "./server-domain.ts";
import { smartServer } from "./smart/server/smart-server.ts";
import { systemServer } from "./system/server/system-server.ts";
import { updatesServer } from "./updates/server/updates-server.ts";
import { upsServer } from "./ups/server/ups-server.ts";
import { vmsServer } from "./vms/server/vms-server.ts";
import { zfsServer } from "./zfs/server/zfs-server.ts";

/**
 * Every domain's server half, one line each: the collector takes its writers from here, the MCP
 * server its tools (tools/list shows them in this order, after the fleet-wide ones).
 */
export const SERVER_DOMAINS = {
  system: systemServer,
  smart: smartServer,
  zfs: zfsServer,
  backups: backupsServer,
  updates: updatesServer,
  docker: dockerServer,
  logs: logsServer,
  network: networkServer,
  vms: vmsServer,
  inventory: inventoryServer,
  ups: upsServer,
} as const satisfies { readonly [D in Domain]: ServerDomain<D> };
