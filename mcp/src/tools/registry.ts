import { getDriveHealth } from "./get-drive-health.ts";
import { getSystemLogs } from "./get-system-logs.ts";
import { getSystemMetrics } from "./get-system-metrics.ts";
import { getZfsSnapshots } from "./get-zfs-snapshots.ts";
import { getZfsStatus } from "./get-zfs-status.ts";
import { listDevices } from "./list-devices.ts";
import type { ToolDefinition } from "./tool.ts";
import { verifyZfsIntegrity } from "./verify-zfs-integrity.ts";

/** Every tool the server offers, in the order tools/list shows them. A new tool adds one line. */
export const TOOLS: readonly ToolDefinition[] = [
  listDevices as unknown as ToolDefinition,
  getSystemMetrics as unknown as ToolDefinition,
  getDriveHealth as unknown as ToolDefinition,
  getSystemLogs as unknown as ToolDefinition,
  getZfsStatus as unknown as ToolDefinition,
  getZfsSnapshots as unknown as ToolDefinition,
  verifyZfsIntegrity as unknown as ToolDefinition,
];
