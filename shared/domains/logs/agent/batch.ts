import { cleanStrings } from "@infrastructor/lib/collect/clean-text.ts";
import { itemError } from "@infrastructor/lib/collect/parse-items.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { ItemError } from "@infrastructor/shared/schemas/source-result.ts";
import { type LogEntry, LogEntrySchema } from "../schema.ts";

/**
 * The envelope must stay under the hub's 1 MiB message limit (INGEST_MAX_MESSAGE_BYTES): entries are
 * taken until their JSON reaches this, the rest waits for the next poll.
 */
export const ENVELOPE_ENTRY_BUDGET_BYTES = 700 * 1024;

/** What one read produced: entries in order, and the lines that are not valid entries. */
export interface ReadBatch<P> {
  entries: LogEntry[];
  /** Where the next read starts: after the last entry taken (or skipped by priority). */
  position: P;
  backlog: "drained" | "more";
  /** One per line that is not a valid entry, in order (the collector sends the first MAX_ITEM_ERRORS). */
  errors: ItemError[];
}

/** Collects entries up to a count and the envelope budget. */
export class EntryBatch {
  readonly entries: LogEntry[] = [];
  readonly errors: ItemError[] = [];
  private bytes = 0;

  constructor(private readonly maxLines: number) {}

  /**
   * False when the entry does not fit: the read stops before it. An entry that breaks the schema is
   * left out and reported as an item error (true: the read goes on past it), so one bad entry costs
   * itself, not the poll: the domain's schema check would otherwise refuse the whole batch.
   */
  add(entry: LogEntry, line: number | null = null): boolean {
    const checked = LogEntrySchema.safeParse(cleanStrings(entry));
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const why = `${issue?.path.join(".") || "entry"}: ${issue?.message ?? "invalid"}`;
      const err = new AppError(ErrorCode.INVALID_MESSAGE, `log entry left out: ${why}`);
      this.errors.push(itemError({ name: String(entry.entry_id).slice(0, 128), line, text: "" }, err));
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
