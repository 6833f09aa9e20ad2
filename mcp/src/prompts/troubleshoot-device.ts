import { completable } from "@modelcontextprotocol/sdk/server/completable.js";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { GetPromptResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { DeviceArg } from "../args/names.ts";
import {
  completeDeviceName,
  describeDeviceStatus,
  deviceStatusUri,
  readDeviceStatus,
} from "../resources/device-status.ts";
import { answering } from "../resources/resource-error.ts";
import type { McpDeps } from "../server.ts";
import { REPORTING_RULES } from "./reporting-rules.ts";

/**
 * troubleshoot_device(device, issue): the device's current status per domain, then which tools to
 * call for the kind of issue described, then what to report.
 */
export function registerTroubleshootDevice(server: McpServer, deps: McpDeps): void {
  server.registerPrompt(
    "troubleshoot_device",
    {
      title: "Troubleshoot a device",
      description:
        "Investigate a problem on one device: its current state, the tools to call for the kind of issue, and a " +
        "report with the likely cause, the evidence and the next steps.",
      argsSchema: {
        // completable() marks the schema it is given: a copy, so the shared DeviceArg stays unmarked.
        device: completable(DeviceArg.clone(), (typed) => completeDeviceName(deps, typed)),
        issue: z
          .string()
          .min(1)
          .max(2000)
          .describe("What is wrong, in your own words, e.g. 'Plex is slow since yesterday'."),
      },
    },
    ({ device, issue }) =>
      answering(async (): Promise<GetPromptResult> => {
        const status = await readDeviceStatus(deps, device, { payload: false });
        return {
          description: `Troubleshoot ${status.device}: ${issue.slice(0, 80)}`,
          messages: [
            {
              role: "user",
              content: {
                type: "text",
                text: troubleshootText(status.device, issue, describeDeviceStatus(status)),
              },
            },
          ],
        };
      }),
  );
}

export function troubleshootText(device: string, issue: string, statusLines: string): string {
  return [
    `Troubleshoot the device "${device}". The reported issue:`,
    "",
    issue
      .split("\n")
      .map((line) => `> ${line}`)
      .join("\n"),
    "",
    `What is stored about ${device} right now (resource ${deviceStatusUri(device)}):`,
    statusLines,
    "",
    "Steps:",
    `1. Call get_device_info(device: "${device}") for the host itself (OS, kernel, uptime, what runs there).`,
    "2. Pick the tools that match the issue, narrowest first:",
    "   - a container or app: list_containers(device), then get_container_details(device, container_name),",
    '     get_container_logs(device, container_name, since: "1h") and get_service_dependencies(device, container_name);',
    "   - slowness, load, memory, disk space: get_system_metrics(device) with a time range around when it started;",
    "   - disks and storage: get_drive_health(device), get_zfs_status(device), verify_zfs_integrity(device);",
    "   - errors, crashes, a service: get_system_logs(device, service?, since?) at error priority;",
    "   - network: list_docker_networks(device), get_network_topology(device);",
    "   - updates, reboots, backups, VMs: check_updates(device), get_backup_status(device), get_vm_status(device).",
    "3. Follow what you find: a failing dependency, a full disk or a degraded pool explains more than the symptom.",
    "",
    "Report:",
    "- the most likely cause, with the evidence (tool, value, and how old the data is);",
    "- other causes you ruled out and why;",
    "- next steps for the operator, most urgent first (exact commands they can run are welcome).",
    ...REPORTING_RULES,
  ].join("\n");
}
