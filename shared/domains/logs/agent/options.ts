import type { DomainOptionsSpec } from "@infrastructor/agent/collectors/agent-domain.ts";
import { z } from "zod";
import { LOG_ENTRIES_MAX } from "../schema.ts";
import { PRIORITY_NAMES } from "./priority.ts";

/** An absolute path of plain characters: it reaches `stat` and `tail` as an argument. */
export const LOG_PATH_PATTERN = /^\/(?!.*\/\.\.?(\/|$))[A-Za-z0-9._/@+-]{0,4095}$/;
const path = z.string().regex(LOG_PATH_PATTERN, "an absolute path without `..`");

/**
 * Where the read position survives restarts (`<state_dir>/logs-position.json`), which entries are kept
 * (priority and more severe), and the bounds of one poll.
 */
export const logsOptions = {
  schema: z.strictObject({
    state_dir: path.default("/var/lib/infrastructor"),
    priority: z.enum(PRIORITY_NAMES).default("warning"),
    max_lines: z.number().int().min(1).max(LOG_ENTRIES_MAX).default(LOG_ENTRIES_MAX),
    max_bytes: z
      .number()
      .int()
      .min(64 * 1024)
      .max(256 * 1024 ** 2)
      .default(4 * 1024 ** 2),
    syslog_paths: z.array(path).min(1).max(16).default(["/var/log/syslog", "/var/log/messages"]),
  }),
  env: [
    { env: "INFRA_LOGS_STATE_DIR", key: "state_dir", kind: "string" },
    { env: "INFRA_LOGS_PRIORITY", key: "priority", kind: "string" },
    { env: "INFRA_LOGS_MAX_LINES", key: "max_lines", kind: "number" },
    { env: "INFRA_LOGS_MAX_BYTES", key: "max_bytes", kind: "number" },
  ],
} satisfies DomainOptionsSpec;
