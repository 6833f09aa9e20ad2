import { join } from "node:path";
import { itemError } from "@infrastructor/lib/collect/parse-items.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { AppError, ErrorCode, toAppError } from "@infrastructor/shared/errors.ts";
import { completeLines, EntryBatch, type ReadBatch } from "./batch.ts";
import { parseJournalLine } from "./parse-journal-json.ts";
import type { PriorityName } from "./priority.ts";

/** journald cursors: `s=<hex>;i=<hex>;b=<hex>;m=<hex>;t=<hex>;x=<hex>`. */
const CURSOR = /^[A-Za-z0-9=;_-]{1,1024}$/;

/**
 * The journal directory with journal files in it (persistent first, then volatile), or null. journalctl
 * exists on hosts without journald (containers, this project's CI), and there it exits 0 with no output,
 * which would look like a quiet host: so the files are looked for first.
 */
export async function findJournal(executor: Executor, hostRoot: string): Promise<string | null> {
  for (const dir of ["var/log/journal", "run/log/journal"]) {
    const path = join(hostRoot, dir);
    try {
      if ((await executor.listDir(path)).length > 0) return path;
    } catch (err) {
      if (toAppError(err).code !== ErrorCode.NOT_FOUND) throw err;
    }
  }
  return null;
}

export interface JournalReadOptions {
  cursor: string | null;
  priority: PriorityName;
  maxLines: number;
  maxBytes: number;
  /** Passed as --directory when the host's root is not ours (the agent in a container). */
  directory: string | null;
}

/**
 * New entries after `cursor` (the newest `maxLines` on a first read), priority and more severe. journalctl
 * cannot stop after N entries from a cursor, so the byte cap stops it (the output cap kills it) and
 * the batch takes the complete lines up to the line and envelope limits.
 */
export async function readJournal(
  executor: Executor,
  o: JournalReadOptions,
): Promise<ReadBatch<string | null>> {
  if (o.cursor !== null && !CURSOR.test(o.cursor)) {
    throw new AppError(ErrorCode.INVALID_ARGUMENT, "stored journal cursor has unexpected characters");
  }
  const argv = ["journalctl", "--output=json", "--all", "--no-pager", "--quiet", `--priority=${o.priority}`];
  if (o.directory !== null) argv.push(`--directory=${o.directory}`);
  argv.push(o.cursor === null ? `--lines=${o.maxLines}` : `--after-cursor=${o.cursor}`);
  const result = await executor.run(argv, { timeoutMs: 60_000, maxOutputBytes: o.maxBytes });
  if (result.exitCode !== 0 && !result.truncated) {
    const why = result.stderr.trim().split("\n").slice(-2).join(" ");
    throw new AppError(ErrorCode.COMMAND_FAILED, `journalctl exit ${result.exitCode}: ${why}`.slice(0, 1000));
  }
  const batch = new EntryBatch(o.maxLines);
  let cursor = o.cursor;
  let backlog: "drained" | "more" = result.truncated ? "more" : "drained";
  const lines = completeLines(result.stdout, result.truncated);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "") continue;
    let record: ReturnType<typeof parseJournalLine>;
    try {
      record = parseJournalLine(line, i + 1);
    } catch (err) {
      // Not an entry (no cursor, no time): it cannot be kept, only reported. When its cursor is still
      // readable the position moves past it, so the next poll does not report it again.
      batch.errors.push(itemError({ name: null, line: i + 1, text: line }, err));
      const skipped = /"__CURSOR"\s*:\s*"([^"\\]{1,1024})"/.exec(line)?.[1];
      if (skipped !== undefined && CURSOR.test(skipped)) cursor = skipped;
      continue;
    }
    if (!batch.add(record.entry, i + 1)) {
      backlog = "more";
      break;
    }
    cursor = record.cursor;
  }
  return { entries: batch.entries, position: cursor, backlog, errors: batch.errors };
}
