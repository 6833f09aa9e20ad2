import { getBackupStatus } from "@infrastructor/domains/backups/server/tools/get-backup-status.ts";
import { getContainerDetails } from "@infrastructor/domains/docker/server/tools/get-container-details.ts";
import { getContainerLogs } from "@infrastructor/domains/docker/server/tools/get-container-logs.ts";
import { getServiceDependencies } from "@infrastructor/domains/docker/server/tools/get-service-dependencies.ts";
import { listContainers } from "@infrastructor/domains/docker/server/tools/list-containers.ts";
import { listDockerNetworks } from "@infrastructor/domains/docker/server/tools/list-docker-networks.ts";
import { getSystemLogs } from "@infrastructor/domains/logs/server/tools/get-system-logs.ts";
import { getNetworkTopology } from "@infrastructor/domains/network/server/tools/get-network-topology.ts";
import { getDriveHealth } from "@infrastructor/domains/smart/server/tools/get-drive-health.ts";
import { getSystemMetrics } from "@infrastructor/domains/system/server/tools/get-system-metrics.ts";
import { checkUpdates } from "@infrastructor/domains/updates/server/tools/check-updates.ts";
import { getVmStatus } from "@infrastructor/domains/vms/server/tools/get-vm-status.ts";
import { getZfsSnapshots } from "@infrastructor/domains/zfs/server/tools/get-zfs-snapshots.ts";
import { getZfsStatus } from "@infrastructor/domains/zfs/server/tools/get-zfs-status.ts";
import { verifyZfsIntegrity } from "@infrastructor/domains/zfs/server/tools/verify-zfs-integrity.ts";
import { analyzeInfrastructureHealth } from "./analyze-infrastructure-health.ts";
import { getDeviceInfo } from "./get-device-info.ts";
import { listDevices } from "./list-devices.ts";
import type { ToolDefinition } from "./tool.ts";

/** Each tool keeps its own argument types; the server handles them all alike. */
const all = (...tools: unknown[]): readonly ToolDefinition[] => tools as ToolDefinition[];

/** Every tool the server offers, in the order tools/list shows them. A new tool adds one line. */
export const TOOLS: readonly ToolDefinition[] = all(
  // utility
  listDevices,
  getDeviceInfo,
  getVmStatus,
  // containers
  listContainers,
  getContainerDetails,
  getContainerLogs,
  getServiceDependencies,
  // system
  getSystemMetrics,
  getDriveHealth,
  getSystemLogs,
  // zfs
  getZfsStatus,
  getZfsSnapshots,
  verifyZfsIntegrity,
  // network
  getNetworkTopology,
  listDockerNetworks,
  // maintenance
  getBackupStatus,
  checkUpdates,
  // the fleet at once
  analyzeInfrastructureHealth,
);
