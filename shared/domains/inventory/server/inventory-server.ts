import type { ServerDomain } from "../../server-domain.ts";
import { inventoryWriter } from "./writer.ts";

/** The inventory domain's server half: how its envelopes reach the tables, and the MCP tools that read them. */
export const inventoryServer = {
  domain: "inventory",
  writer: inventoryWriter,
  tools: [],
} satisfies ServerDomain<"inventory">;
