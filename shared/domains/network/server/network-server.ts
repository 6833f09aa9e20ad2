import type { ServerDomain } from "../../server-domain.ts";
import { getNetworkTopology } from "./tools/get-network-topology.ts";
import { networkWriter } from "./writer.ts";

/** The network domain's server half: how its envelopes reach the tables, and the MCP tools that read them. */
export const networkServer = {
  domain: "network",
  writer: networkWriter,
  tools: [getNetworkTopology],
} satisfies ServerDomain<"network">;
