import {
  ItemErrorSchema,
  MAX_ITEM_ERRORS,
  TruncatedSchema,
} from "@infrastructor/shared/schemas/source-result.ts";
import { z } from "zod";

/**
 * The `logs` domain: new log entries since the previous poll, from the systemd journal or, on hosts
 * without one, from a syslog file. Priorities are syslog's: 0 emerg .. 7 debug; null when the source
 * does not say (a syslog file written without <PRI>). A failed read is data: `{ ok: false, error }`.
 */
export const LOG_MESSAGE_MAX_CHARS = 4096;
export const LOG_ENTRIES_MAX = 5000;

const label = z.string().max(255);

export const LogEntrySchema = z.object({
  time: z.iso.datetime({ offset: true }),
  /**
   * Unique per entry on its host, so a re-sent entry is stored once: `j:<hash of the journal cursor>`
   * or `f:<inode>:<byte offset>` of the line in its syslog file.
   */
  entry_id: z.string().min(1).max(128),
  priority: z.number().int().min(0).max(7).nullable(),
  facility: z.number().int().min(0).max(23).nullable(),
  hostname: label,
  /** The systemd unit (journal `_SYSTEMD_UNIT`); empty for syslog lines. */
  unit: label,
  /** SYSLOG_IDENTIFIER, the syslog tag or RFC 5424 APP-NAME; empty when absent. */
  identifier: label,
  pid: z.number().int().positive().max(4_194_304).nullable(),
  message: z.string().max(LOG_MESSAGE_MAX_CHARS),
});
export type LogEntry = z.infer<typeof LogEntrySchema>;

export const LogReadSchema = z.discriminatedUnion("ok", [
  z.object({
    ok: z.literal(true),
    entries: z.array(LogEntrySchema).max(LOG_ENTRIES_MAX),
    /** "more": a line, byte or envelope cap stopped this read; the next poll continues from there. */
    backlog: z.enum(["drained", "more"]),
    /**
     * Lines that are not a valid entry (first MAX_ITEM_ERRORS; the rest counted). A syslog line is
     * also kept in `entries` as it is; a journal line without a cursor or time cannot be. Absent: none.
     */
    item_errors: z.array(ItemErrorSchema).max(MAX_ITEM_ERRORS).optional(),
    item_errors_dropped: TruncatedSchema.optional(),
  }),
  z.object({
    ok: z.literal(false),
    error: z.object({ code: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/), message: z.string().max(1000) }),
  }),
]);
export type LogRead = z.infer<typeof LogReadSchema>;

export const LogsDataSchema = z.object({
  source: z.enum(["journal", "syslog"]),
  /** The syslog file read; empty for the journal. */
  path: z.string().max(4096),
  read: LogReadSchema,
});
export type LogsData = z.infer<typeof LogsDataSchema>;
