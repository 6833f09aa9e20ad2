import type { ServerDomain } from "../../server-domain.ts";
import { checkUpdates } from "./tools/check-updates.ts";
import { updatesWriter } from "./writer.ts";

/** The updates domain's server half: how its envelopes reach the tables, and the MCP tools that read them. */
export const updatesServer = {
  domain: "updates",
  writer: updatesWriter,
  tools: [checkUpdates],
} satisfies ServerDomain<"updates">;
