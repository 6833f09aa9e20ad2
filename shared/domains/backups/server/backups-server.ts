import type { ServerDomain } from "../../server-domain.ts";
import { backupsHealth } from "./health.ts";
import { getBackupStatus } from "./tools/get-backup-status.ts";
import { backupsWriter } from "./writer.ts";

/** The backups domain's server half: how its envelopes reach the tables, the MCP tools that read them, and its health rules. */
export const backupsServer = {
  domain: "backups",
  writer: backupsWriter,
  tools: [getBackupStatus],
  health: backupsHealth,
} satisfies ServerDomain<"backups">;
