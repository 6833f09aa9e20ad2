import type { ServerDomain } from "../../server-domain.ts";
import { systemHealth } from "./health.ts";
import { getSystemMetrics } from "./tools/get-system-metrics.ts";
import { systemWriter } from "./writer.ts";

/** The system domain's server half: how its envelopes reach the tables, the MCP tools that read them, and its health rules. */
export const systemServer = {
  domain: "system",
  writer: systemWriter,
  tools: [getSystemMetrics],
  health: systemHealth,
} satisfies ServerDomain<"system">;
