import type { ServerDomain } from "../../server-domain.ts";
import { smartHealth } from "./health.ts";
import { getDriveHealth } from "./tools/get-drive-health.ts";
import { smartWriter } from "./writer.ts";

/** The smart domain's server half: how its envelopes reach the tables, the MCP tools that read them, and its health rules. */
export const smartServer = {
  domain: "smart",
  writer: smartWriter,
  tools: [getDriveHealth],
  health: smartHealth,
} satisfies ServerDomain<"smart">;
