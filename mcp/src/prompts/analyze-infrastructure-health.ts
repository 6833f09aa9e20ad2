import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { GetPromptResult } from "@modelcontextprotocol/sdk/types.js";
import { REPORTING_RULES } from "./reporting-rules.ts";

/** analyze_infrastructure_health(): the fleet-wide check, then a drill-down on each problem. */
export function registerAnalyzeInfrastructureHealth(server: McpServer): void {
  server.registerPrompt(
    "analyze_infrastructure_health",
    {
      title: "Analyze infrastructure health",
      description: "Check the whole fleet, look into each problem found, and report them worst first.",
    },
    (): GetPromptResult => ({
      messages: [{ role: "user", content: { type: "text", text: ANALYZE_TEXT } }],
    }),
  );
}

export const ANALYZE_TEXT = [
  "Assess the health of the whole infrastructure.",
  "",
  "Steps:",
  "1. Call analyze_infrastructure_health() once: it lists every problem across the fleet, worst first.",
  "2. Call list_devices() to see which devices exist and which are not reporting.",
  "3. Look into each problem with the tool that holds the detail, worst first, at most a few calls per problem:",
  "   - a drive failing or warning: get_drive_health(device, drive);",
  "   - a pool not ONLINE or with errors: get_zfs_status(device), then verify_zfs_integrity(device);",
  "   - a late or failed backup: get_backup_status(device);",
  "   - pending security updates or a reboot: check_updates(device);",
  "   - a container unhealthy or restarting: get_container_details(device, container_name), then",
  '     get_container_logs(device, container_name, since: "1h");',
  "   - a host over cpu, memory or disk thresholds: get_system_metrics(device) over the last 24 h;",
  "   - a device not reporting: get_device_info(device) (when it was last seen, whether live reads work).",
  "",
  "Report:",
  "- one line of overall verdict (healthy, degraded, or critical) with the counts;",
  "- a table of problems, worst first: severity, device, what, since when, evidence;",
  "- what needs action today, what can wait, and what looks fine.",
  ...REPORTING_RULES,
].join("\n");
