import type { ServerDomain } from "../../server-domain.ts";
import { zfsHealth } from "./health.ts";
import { getZfsSnapshots } from "./tools/get-zfs-snapshots.ts";
import { getZfsStatus } from "./tools/get-zfs-status.ts";
import { verifyZfsIntegrity } from "./tools/verify-zfs-integrity.ts";
import { zfsWriter } from "./writer.ts";

/** The zfs domain's server half: how its envelopes reach the tables, the MCP tools that read them, and its health rules. */
export const zfsServer = {
  domain: "zfs",
  writer: zfsWriter,
  tools: [getZfsStatus, getZfsSnapshots, verifyZfsIntegrity],
  health: zfsHealth,
} satisfies ServerDomain<"zfs">;
