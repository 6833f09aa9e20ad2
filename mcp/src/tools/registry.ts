import { analyzeInfrastructureHealth } from "./analyze-infrastructure-health.ts";
import { checkUpdates } from "./check-updates.ts";
import { getBackupStatus } from "./get-backup-status.ts";
import { getDeviceInfo } from "./get-device-info.ts";
import { getNetworkTopology } from "./get-network-topology.ts";
import { getVmStatus } from "./get-vm-status.ts";
import { listDevices } from "./list-devices.ts";
import type { ToolDefinition } from "./tool.ts";

/** Every tool the server offers, in the order tools/list shows them. A new tool adds one line. */
export const TOOLS: readonly ToolDefinition[] = [
  listDevices as unknown as ToolDefinition,
  getDeviceInfo as unknown as ToolDefinition,
  getVmStatus as unknown as ToolDefinition,
  getBackupStatus as unknown as ToolDefinition,
  checkUpdates as unknown as ToolDefinition,
  getNetworkTopology as unknown as ToolDefinition,
  analyzeInfrastructureHealth as unknown as ToolDefinition,
];
