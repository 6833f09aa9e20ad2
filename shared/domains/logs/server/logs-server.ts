import type { ServerDomain } from "../../server-domain.ts";
import { getSystemLogs } from "./tools/get-system-logs.ts";
import { logsWriter } from "./writer.ts";

/** The logs domain's server half: how its envelopes reach the tables, and the MCP tools that read them. */
export const logsServer = {
  domain: "logs",
  writer: logsWriter,
  tools: [getSystemLogs],
} satisfies ServerDomain<"logs">;
