import { SERVER_DOMAINS } from "@infrastructor/domains/server.ts";
import { toolsOf } from "@infrastructor/domains/server-domain.ts";
import { acknowledgeAlertTool } from "./alerts/acknowledge-alert.ts";
import { listAlertsTool } from "./alerts/list-alerts.ts";
import { muteAlertsTool } from "./alerts/mute-alerts.ts";
import { unmuteAlertsTool } from "./alerts/unmute-alerts.ts";
import { analyzeInfrastructureHealth } from "./analyze-infrastructure-health.ts";
import { getDeviceInfo } from "./get-device-info.ts";
import { listDevices } from "./list-devices.ts";
import type { ToolDefinition } from "./tool.ts";

/**
 * Every tool the server offers, in the order tools/list shows them: the fleet-wide ones first, then
 * each domain's (shared/domains/server.ts), then the whole fleet at once. A domain's tool is added in
 * its own server half, not here. The alert tools come last: the only ones that change anything.
 */
export const TOOLS: readonly ToolDefinition[] = [
  listDevices,
  getDeviceInfo,
  ...Object.values(SERVER_DOMAINS).flatMap(toolsOf),
  analyzeInfrastructureHealth,
  listAlertsTool,
  acknowledgeAlertTool,
  muteAlertsTool,
  unmuteAlertsTool,
] as ToolDefinition[];
