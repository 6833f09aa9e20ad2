import { listDevices } from "./list-devices.ts";
import type { ToolDefinition } from "./tool.ts";

/** Every tool the server offers, in the order tools/list shows them. A new tool adds one line. */
export const TOOLS: readonly ToolDefinition[] = [listDevices as unknown as ToolDefinition];
