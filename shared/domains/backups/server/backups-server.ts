import type { ServerDomain } from "../../server-domain.ts";
import { getBackupStatus } from "./tools/get-backup-status.ts";
import { backupsWriter } from "./writer.ts";

/** The backups domain's server half: how its envelopes reach the tables, and the MCP tools that read them. */
export const backupsServer = {
  domain: "backups",
  writer: backupsWriter,
  tools: [getBackupStatus],
} satisfies ServerDomain<"backups">;
