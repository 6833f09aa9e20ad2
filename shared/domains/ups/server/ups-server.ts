import type { ServerDomain } from "../../server-domain.ts";
import { upsFindings } from "./health.ts";
import { getUpsStatus } from "./tools/get-ups-status.ts";
import { upsWriter } from "./writer.ts";

/** The ups domain's server half: its writer, its MCP tool, and its findings for the fleet check. */
export const upsServer = {
  domain: "ups",
  writer: upsWriter,
  tools: [getUpsStatus],
  findings: upsFindings,
} satisfies ServerDomain<"ups">;
