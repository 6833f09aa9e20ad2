import type { ServerDomain } from "../../server-domain.ts";
import { getDriveHealth } from "./tools/get-drive-health.ts";
import { smartWriter } from "./writer.ts";

/** The smart domain's server half: how its envelopes reach the tables, and the MCP tools that read them. */
export const smartServer = {
  domain: "smart",
  writer: smartWriter,
  tools: [getDriveHealth],
} satisfies ServerDomain<"smart">;
