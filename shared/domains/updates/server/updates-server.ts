import type { ServerDomain } from "../../server-domain.ts";
import { updatesHealth } from "./health.ts";
import { checkUpdates } from "./tools/check-updates.ts";
import { updatesWriter } from "./writer.ts";

/** The updates domain's server half: how its envelopes reach the tables, the MCP tools that read them, and its health rules. */
export const updatesServer = {
  domain: "updates",
  writer: updatesWriter,
  tools: [checkUpdates],
  health: updatesHealth,
} satisfies ServerDomain<"updates">;
