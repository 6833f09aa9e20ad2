import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { McpDeps } from "../server.ts";
import { summarizeDevice } from "../tools/devices/device-summary.ts";
import { answering } from "./resource-error.ts";

export const DEVICES_URI = "infra://devices";

/** infra://devices: the registry, each device as list_devices shows it, silent ones first. */
export function registerDevicesResource(server: McpServer, deps: McpDeps): void {
  server.registerResource(
    "devices",
    DEVICES_URI,
    {
      title: "Devices",
      description:
        "Every monitored device: whether its agent is reporting, last seen, OS, kernel, cores, memory, tags, " +
        "and whether live reads over SSH are possible.",
      mimeType: "application/json",
    },
    (uri) =>
      answering(async () => {
        const now = new Date();
        const staleMs = deps.domains.freshness.staleAfterMs("system");
        const devices = (await deps.store.listDevices()).map((d) => summarizeDevice(d, staleMs, now));
        devices.sort((a, b) => Number(a.reporting) - Number(b.reporting) || a.name.localeCompare(b.name));
        const body = {
          summary: {
            devices: devices.length,
            reporting: devices.filter((d) => d.reporting).length,
            not_reporting: devices.filter((d) => !d.reporting).map((d) => d.name),
          },
          devices,
        };
        return {
          contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(body, null, 1) }],
        };
      }),
  );
}
