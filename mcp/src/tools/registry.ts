import { analyzeInfrastructureHealth } from "./analyze-infrastructure-health.ts";
import { checkUpdates } from "./check-updates.ts";
import { getBackupStatus } from "./get-backup-status.ts";
import { getContainerDetails } from "./get-container-details.ts";
import { getContainerLogs } from "./get-container-logs.ts";
import { getDeviceInfo } from "./get-device-info.ts";
import { getDriveHealth } from "./get-drive-health.ts";
import { getNetworkTopology } from "./get-network-topology.ts";
import { getServiceDependencies } from "./get-service-dependencies.ts";
import { getSystemLogs } from "./get-system-logs.ts";
import { getSystemMetrics } from "./get-system-metrics.ts";
import { getVmStatus } from "./get-vm-status.ts";
import { getZfsSnapshots } from "./get-zfs-snapshots.ts";
import { getZfsStatus } from "./get-zfs-status.ts";
import { listContainers } from "./list-containers.ts";
import { listDevices } from "./list-devices.ts";
import { listDockerNetworks } from "./list-docker-networks.ts";
import type { ToolDefinition } from "./tool.ts";
import { verifyZfsIntegrity } from "./verify-zfs-integrity.ts";

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
