import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { McpDeps } from "../server.ts";
import { registerAlertsResource } from "./alerts.ts";
import { registerConfigResource } from "./config.ts";
import { registerDeviceStatusResource } from "./device-status.ts";
import { registerDevicesResource } from "./devices.ts";

/** infra://devices, infra://devices/{device}/status, infra://config and infra://alerts. */
export function registerResources(server: McpServer, deps: McpDeps): void {
  registerDevicesResource(server, deps);
  registerDeviceStatusResource(server, deps);
  registerConfigResource(server, deps);
  registerAlertsResource(server, deps);
}
