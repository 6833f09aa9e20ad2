import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { type LogEntry, LogEntrySchema } from "@infrastructor/shared/schemas/logs.ts";
import { cleanStrings } from "../../lib/clean-text.ts";

/**
 * The envelope must stay under the hub's 1 MiB message limit (INGEST_MAX_MESSAGE_BYTES): entries are
 * taken until their JSON reaches this, the rest waits for the next poll.
 */
export const ENVELOPE_ENTRY_BUDGET_BYTES = 700 * 1024;

/** What one read produced: entries in order, and lines that could not be parsed. */
export interface ReadBatch<P> {
  entries: LogEntry[];
  /** Where the next read starts: after the last entry taken (or skipped by priority). */
  position: P;
  backlog: "drained" | "more";
  problems: AppError[];
}

/** Collects entries up to a count and the envelope budget. */
export class EntryBatch {
  readonly entries: LogEntry[] = [];
  readonly problems: AppError[] = [];
  private bytes = 0;

  constructor(private readonly maxLines: number) {}

  /**
   * False when the entry does not fit: the read stops before it. An entry that breaks the schema is
   * left out and reported (true: the read goes on past it), so one bad entry costs itself, not the
   * poll: the domain's schema check would otherwise refuse the whole batch.
   */
  add(entry: LogEntry): boolean {
    const checked = LogEntrySchema.safeParse(cleanStrings(entry));
    if (!checked.success) {
      this.problems.push(
        new AppError(
          ErrorCode.INVALID_MESSAGE,
          `log entry ${entry.entry_id} left out: ${checked.error.message}`.slice(0, 1000),
          {
            details: { entry_id: String(entry.entry_id).slice(0, 128) },
          },
        ),
      );
      return true;
    }
    const size = JSON.stringify(checked.data).length + 1;
    if (this.entries.length >= this.maxLines || this.bytes + size > ENVELOPE_ENTRY_BUDGET_BYTES) return false;
    this.entries.push(checked.data);
    this.bytes += size;
    return true;
  }
}

/** The complete lines of output that may have been cut by the byte cap. */
export function completeLines(text: string, truncated: boolean): string[] {
  const end = truncated ? text.lastIndexOf("\n") + 1 : text.length;
  const lines = text.slice(0, end).split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}
