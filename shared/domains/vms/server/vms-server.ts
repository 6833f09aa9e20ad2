import type { ServerDomain } from "../../server-domain.ts";
import { getVmStatus } from "./tools/get-vm-status.ts";
import { vmsWriter } from "./writer.ts";

/** The vms domain's server half: how its envelopes reach the tables, and the MCP tools that read them. */
export const vmsServer = {
  domain: "vms",
  writer: vmsWriter,
  tools: [getVmStatus],
} satisfies ServerDomain<"vms">;
