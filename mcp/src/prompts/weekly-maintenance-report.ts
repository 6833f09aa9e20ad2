import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { GetPromptResult } from "@modelcontextprotocol/sdk/types.js";
import { REPORTING_RULES } from "./reporting-rules.ts";

/** weekly_maintenance_report(): one pass over every device for the chores of the week. */
export function registerWeeklyMaintenanceReport(server: McpServer): void {
  server.registerPrompt(
    "weekly_maintenance_report",
    {
      title: "Weekly maintenance report",
      description:
        "A week's maintenance report for the whole fleet: updates, reboots, backups, storage, capacity trends, " +
        "restarting containers and errors in the logs, ending with a to-do list.",
    },
    (): GetPromptResult => ({
      messages: [{ role: "user", content: { type: "text", text: WEEKLY_TEXT } }],
    }),
  );
}

export const WEEKLY_TEXT = [
  "Write this week's maintenance report for the infrastructure.",
  "",
  "Steps:",
  "1. list_devices() for the fleet, and analyze_infrastructure_health() for what is wrong right now.",
  "2. For each reporting device:",
  "   - check_updates(device): pending updates, security updates first, and whether a reboot is required;",
  "   - get_backup_status(device): the last successful backup of each job and any failure this week;",
  "   - get_drive_health(device): drives with reallocated or pending sectors, wear, or temperatures rising;",
  "   - get_zfs_status(device) and verify_zfs_integrity(device): pool state, errors, age of the last scrub;",
  "     get_zfs_snapshots(device) when snapshots should be recent;",
  "   - get_system_metrics(device) over the last 7 days at daily resolution: cpu, memory and disk trends, and",
  "     how long until a disk fills at the current rate;",
  "   - list_containers(device): containers restarting, unhealthy or stopped; get_vm_status(device) for VMs;",
  '   - get_system_logs(device, since: "7d") at error priority: recurring errors.',
  "   Skip a domain on a device that does not have it (COMMAND_MISSING) and say so once.",
  "",
  "Report, in Markdown:",
  "- Summary: devices, what changed this week, overall state;",
  "- one section each for Updates, Backups, Storage, Capacity, Containers and VMs, Logs: a short table per",
  "  section with the devices that need attention, and one line for the rest;",
  "- To do: a checklist ordered by urgency (security and data-loss risks first), each item naming the device.",
  ...REPORTING_RULES,
].join("\n");
