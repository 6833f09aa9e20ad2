import type { ServerDomain } from "../../server-domain.ts";
import { upsHealth } from "./health.ts";
import { getUpsStatus } from "./tools/get-ups-status.ts";
import { upsWriter } from "./writer.ts";

/** The ups domain's server half: its writer, its MCP tool, and its health rules. */
export const upsServer = {
  domain: "ups",
  writer: upsWriter,
  tools: [getUpsStatus],
  health: upsHealth,
} satisfies ServerDomain<"ups">;
