import { getContainerDetails } from "./get-container-details.ts";
import { getContainerLogs } from "./get-container-logs.ts";
import { getServiceDependencies } from "./get-service-dependencies.ts";
import { listContainers } from "./list-containers.ts";
import { listDevices } from "./list-devices.ts";
import { listDockerNetworks } from "./list-docker-networks.ts";
import type { ToolDefinition } from "./tool.ts";

/** Every tool the server offers, in the order tools/list shows them. A new tool adds one line. */
export const TOOLS: readonly ToolDefinition[] = [
  listDevices as unknown as ToolDefinition,
  listContainers as unknown as ToolDefinition,
  getContainerDetails as unknown as ToolDefinition,
  getContainerLogs as unknown as ToolDefinition,
  getServiceDependencies as unknown as ToolDefinition,
  listDockerNetworks as unknown as ToolDefinition,
];
