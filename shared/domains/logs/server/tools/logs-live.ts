import { join } from "node:path";
import type { AgentConfig } from "@infrastructor/agent/config.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { AppError, ErrorCode, toAppError } from "@infrastructor/shared/errors.ts";
import { completeLines } from "../../agent/batch.ts";
import { logsOptions } from "../../agent/options.ts";
import { parseJournalLine } from "../../agent/parse-journal-json.ts";
import { parseSyslogLine } from "../../agent/parse-syslog.ts";
import { type PriorityName, priorityNumber } from "../../agent/priority.ts";
import { findJournal } from "../../agent/read-journal.ts";
import { statFile } from "../../agent/read-syslog.ts";
import type { LogEntry } from "../../schema.ts";

/** What one live read may pull from the host: journalctl's output, or the tail of a syslog file. */
export const LIVE_READ_MAX_BYTES = 8 * 1024 ** 2;
const TIMEOUT_MS = 30_000;

export interface LiveLogQuery {
  service: string;
  since: Date;
  tail: number;
  priority?: PriorityName | undefined;
}

export interface LiveLogs {
  source: "journal" | "syslog";
  /** The syslog file read; empty for the journal. */
  path: string;
  /** Newest first, at most `tail`. */
  entries: LogEntry[];
  /** Lines that could not be parsed (skipped). */
  unparsed: number;
  /** The read stopped at the byte cap: older entries may be missing. */
  truncated: boolean;
}

/**
 * A service's recent entries read on the host now: `journalctl -u <unit>` when the host has journal
 * files (as the logs collector decides: journalctl alone exits 0 with nothing where journald is absent),
 * else the end of the first syslog file the agent is configured to read, kept where the syslog
 * identifier is the service's name (with or without `.service`).
 */
export async function readServiceLogs(
  executor: Executor,
  config: AgentConfig,
  q: LiveLogQuery,
): Promise<LiveLogs> {
  const hostRoot = config.roots.host;
  const journal = await findJournal(executor, hostRoot);
  if (journal !== null) {
    try {
      return await readJournal(executor, journal, hostRoot !== "/", q);
    } catch (err) {
      if (toAppError(err).code !== ErrorCode.COMMAND_MISSING) throw err;
    }
  }
  const { syslog_paths: syslogPaths } = logsOptions.schema.parse(config.domains.logs.options);
  for (const path of syslogPaths) {
    const full = join(hostRoot, path);
    const stat = await statFile(executor, full);
    if (stat !== null) return readSyslogTail(executor, full, path, stat.size, q);
  }
  throw new AppError(ErrorCode.NOT_FOUND, `no systemd journal and none of ${syslogPaths.join(", ")} exists`);
}

async function readJournal(
  executor: Executor,
  directory: string,
  useDirectory: boolean,
  q: LiveLogQuery,
): Promise<LiveLogs> {
  // -r: newest first, so the byte cap cuts the oldest entries, never the newest.
  const argv = [
    "journalctl",
    "-u",
    q.service,
    "-o",
    "json",
    "--since",
    `@${Math.floor(q.since.getTime() / 1000)}`,
  ];
  argv.push("-n", String(q.tail), "--no-pager", "--quiet", "-r");
  if (q.priority !== undefined) argv.push(`--priority=${q.priority}`);
  if (useDirectory) argv.push(`--directory=${directory}`);
  const r = await executor.run(argv, { timeoutMs: TIMEOUT_MS, maxOutputBytes: LIVE_READ_MAX_BYTES });
  if (r.exitCode !== 0 && !r.truncated) {
    const why = r.stderr.trim().split("\n").slice(-2).join(" ") || `exit ${r.exitCode}`;
    throw new AppError(ErrorCode.COMMAND_FAILED, `journalctl: ${why}`.slice(0, 1000));
  }
  const entries: LogEntry[] = [];
  let unparsed = 0;
  for (const [i, line] of completeLines(r.stdout, r.truncated).entries()) {
    if (line.trim() === "") continue;
    try {
      entries.push(parseJournalLine(line, i + 1).entry);
    } catch {
      unparsed += 1;
    }
  }
  entries.sort((a, b) => b.time.localeCompare(a.time));
  return { source: "journal", path: "", entries: entries.slice(0, q.tail), unparsed, truncated: r.truncated };
}

async function readSyslogTail(
  executor: Executor,
  file: string,
  path: string,
  size: number,
  q: LiveLogQuery,
): Promise<LiveLogs> {
  const start = Math.max(0, size - LIVE_READ_MAX_BYTES);
  const r = await executor.run(["tail", "-c", `+${start + 1}`, "--", file], {
    timeoutMs: TIMEOUT_MS,
    maxOutputBytes: LIVE_READ_MAX_BYTES,
  });
  if (r.exitCode !== 0 && !r.truncated) {
    throw new AppError(ErrorCode.COMMAND_FAILED, `tail ${path}: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
  }
  const names = new Set([q.service, q.service.replace(/\.service$/, "")]);
  const maxPriority = q.priority === undefined ? null : priorityNumber(q.priority);
  const options = { now: new Date(), zone: "local" as const };
  const matches: LogEntry[] = [];
  let unparsed = 0;
  const lines = completeLines(r.stdout, true);
  for (const [i, line] of lines.entries()) {
    // Starting mid-file starts mid-line: that first piece is not a line.
    if ((i === 0 && start > 0) || line.trim() === "") continue;
    let entry: LogEntry;
    try {
      entry = parseSyslogLine(line, i + 1, `live:${i}`, options);
    } catch {
      unparsed += 1;
      continue;
    }
    if (!names.has(entry.identifier) || new Date(entry.time) < q.since) continue;
    if (maxPriority !== null && (entry.priority === null || entry.priority > maxPriority)) continue;
    matches.push(entry);
  }
  const newest = matches.reverse().slice(0, q.tail);
  return { source: "syslog", path, entries: newest, unparsed, truncated: start > 0 || r.truncated };
}
