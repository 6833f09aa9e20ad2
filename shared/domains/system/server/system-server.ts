import type { ServerDomain } from "../../server-domain.ts";
import { getSystemMetrics } from "./tools/get-system-metrics.ts";
import { systemWriter } from "./writer.ts";

/** The system domain's server half: how its envelopes reach the tables, and the MCP tools that read them. */
export const systemServer = {
  domain: "system",
  writer: systemWriter,
  tools: [getSystemMetrics],
} satisfies ServerDomain<"system">;
