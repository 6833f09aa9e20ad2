import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { McpDeps } from "../server.ts";
import { registerAnalyzeInfrastructureHealth } from "./analyze-infrastructure-health.ts";
import { registerTroubleshootDevice } from "./troubleshoot-device.ts";
import { registerWeeklyMaintenanceReport } from "./weekly-maintenance-report.ts";

/** troubleshoot_device, analyze_infrastructure_health and weekly_maintenance_report. */
export function registerPrompts(server: McpServer, deps: McpDeps): void {
  registerTroubleshootDevice(server, deps);
  registerAnalyzeInfrastructureHealth(server);
  registerWeeklyMaintenanceReport(server);
}
