import { cleanText } from "@infrastructor/lib/collect/clean-text.ts";
import { itemError } from "@infrastructor/lib/collect/parse-items.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { LOG_MESSAGE_MAX_CHARS, type LogEntry } from "../schema.ts";
import { completeLines, EntryBatch, type ReadBatch } from "./batch.ts";
import { LOG_PATH_PATTERN } from "./options.ts";
import { parseSyslogLine, type SyslogOptions } from "./parse-syslog.ts";
import { clipMessage } from "./priority.ts";

/** On a first read the file's history is not sent, only its last lines (about this much). */
export const FIRST_READ_BYTES = 64 * 1024;

export interface FileStat {
  inode: number;
  size: number;
}

/** inode and size through `stat` (coreutils): the Executor reads whole files, not ranges. */
export async function statFile(executor: Executor, path: string): Promise<FileStat | null> {
  checkPath(path);
  const r = await executor.run(["stat", "-L", "-c", "%i %s", "--", path], { timeoutMs: 10_000 });
  const m = /^(\d+) (\d+)\n?$/.exec(r.stdout);
  if (r.exitCode === 0 && m !== null) return { inode: Number(m[1]), size: Number(m[2]) };
  if (/No such file or directory/.test(r.stderr)) return null;
  throw new AppError(ErrorCode.COMMAND_FAILED, `stat ${path}: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
}

export interface SyslogPosition {
  inode: number;
  offset: number;
}

export interface SyslogReadOptions {
  path: string;
  /** The file as it is now. */
  stat: FileStat;
  /** Where the previous read stopped in this path, or null for a first read. */
  from: SyslogPosition | null;
  /** Keep entries of this priority number and more severe; lines without <PRI> are always kept. */
  maxPriority: number;
  maxLines: number;
  maxBytes: number;
  parse: SyslogOptions;
}

/**
 * Reads on from the stored offset. A new inode means the file was rotated, a size below the offset that it
 * was truncated: both start again at 0 (lines written to the old file after the last read are not seen).
 * Lines that do not parse are kept as they are (priority unknown, the previous line's time) and reported.
 */
export async function readSyslog(
  executor: Executor,
  o: SyslogReadOptions,
): Promise<ReadBatch<SyslogPosition>> {
  checkPath(o.path);
  const { inode, size } = o.stat;
  const continues = o.from !== null && o.from.inode === inode && o.from.offset <= size;
  const start =
    continues && o.from !== null ? o.from.offset : o.from === null ? Math.max(0, size - FIRST_READ_BYTES) : 0;
  const position = { inode, offset: start };
  if (start >= size) return { entries: [], position, backlog: "drained", errors: [] };
  const r = await executor.run(["tail", "-c", `+${start + 1}`, "--", o.path], {
    timeoutMs: 30_000,
    maxOutputBytes: o.maxBytes,
  });
  if (r.exitCode !== 0 && !r.truncated) {
    throw new AppError(
      ErrorCode.COMMAND_FAILED,
      `tail ${o.path}: ${r.stderr.trim() || `exit ${r.exitCode}`}`,
    );
  }
  const batch = new EntryBatch(o.maxLines);
  let backlog: "drained" | "more" = r.truncated ? "more" : "drained";
  let offset = start;
  let lastTime = o.parse.now.toISOString();
  // A line still being written has no newline yet: it is read next time, whole.
  const lines = completeLines(r.stdout, true);
  for (const [i, line] of lines.entries()) {
    const lineStart = offset;
    const next = offset + Buffer.byteLength(line) + 1;
    // A first read that starts mid-file starts mid-line: skip to the next line.
    if ((i === 0 && !continues && start > 0) || line.trim() === "") {
      offset = next;
      continue;
    }
    const entry = parseOrKeep(line, i + 1, `f:${inode}:${lineStart}`, o.parse, lastTime, batch);
    if (entry.priority !== null && entry.priority > o.maxPriority) {
      offset = next;
      continue;
    }
    if (!batch.add(entry, i + 1)) {
      backlog = "more";
      break;
    }
    lastTime = entry.time;
    offset = next;
  }
  return { entries: batch.entries, position: { inode, offset }, backlog, errors: batch.errors };
}

function parseOrKeep(
  line: string,
  lineNo: number,
  entryId: string,
  options: SyslogOptions,
  lastTime: string,
  batch: EntryBatch,
): LogEntry {
  try {
    return parseSyslogLine(line, lineNo, entryId, options);
  } catch (err) {
    // Kept as it is (its text may be the one a reader looks for) and reported under its entry id.
    batch.errors.push(itemError({ name: entryId, line: lineNo, text: line }, err));
    const message = clipMessage(cleanText(line), LOG_MESSAGE_MAX_CHARS);
    return {
      time: lastTime,
      entry_id: entryId,
      priority: null,
      facility: null,
      hostname: "",
      unit: "",
      identifier: "",
      pid: null,
      message,
    };
  }
}

function checkPath(path: string): void {
  if (!LOG_PATH_PATTERN.test(path))
    throw new AppError(ErrorCode.INVALID_ARGUMENT, `not a plain absolute path: ${path}`);
}
