import type { ServerDomain } from "../../server-domain.ts";
import { getZfsSnapshots } from "./tools/get-zfs-snapshots.ts";
import { getZfsStatus } from "./tools/get-zfs-status.ts";
import { verifyZfsIntegrity } from "./tools/verify-zfs-integrity.ts";
import { zfsWriter } from "./writer.ts";

/** The zfs domain's server half: how its envelopes reach the tables, and the MCP tools that read them. */
export const zfsServer = {
  domain: "zfs",
  writer: zfsWriter,
  tools: [getZfsStatus, getZfsSnapshots, verifyZfsIntegrity],
} satisfies ServerDomain<"zfs">;
