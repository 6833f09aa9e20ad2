import { join } from "node:path";
import { boundedItemErrors } from "@infrastructor/lib/collect/bounded-item-errors.ts";
import type { Collector, CollectResult } from "@infrastructor/lib/collect/collector.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import type { EnvelopeError } from "@infrastructor/shared/envelope.ts";
import { type AppError, ErrorCode, toAppError } from "@infrastructor/shared/errors.ts";
import { logsDomain } from "../domain.ts";
import { type LogRead, type LogsData, LogsDataSchema } from "../schema.ts";
import type { ReadBatch } from "./batch.ts";
import type { LogPosition, PositionStore } from "./position-store.ts";
import { type PriorityName, priorityNumber } from "./priority.ts";
import { findJournal, readJournal } from "./read-journal.ts";
import { readSyslog, statFile } from "./read-syslog.ts";

export interface LogsCollectorOptions {
  executor: Executor;
  store: PositionStore;
  hostRoot?: string;
  priority?: PriorityName;
  maxLines?: number;
  maxBytes?: number;
  syslogPaths?: readonly string[];
  now?: () => Date;
}

export const LOGS_INTERVAL_MS = logsDomain.intervalMs;

/**
 * New entries since the last poll: from the journal when the host has one, else from the first syslog
 * file that exists. The position is saved at the start of the next poll, once this poll's envelope is
 * in the agent's spool: a crash re-sends at most one poll of entries, which the hub stores once (their
 * entry_id is part of the table's key), and loses none.
 */
export function createLogsCollector(options: LogsCollectorOptions): Collector<"logs"> {
  const { executor, store, hostRoot = "/", priority = "warning", maxLines = 5000 } = options;
  const maxBytes = options.maxBytes ?? 4 * 1024 ** 2;
  const syslogPaths = options.syslogPaths ?? ["/var/log/syslog", "/var/log/messages"];
  const now = options.now ?? ((): Date => new Date());
  let position: LogPosition | null | undefined;
  let unsaved: LogPosition | null = null;

  async function restore(errors: EnvelopeError[]): Promise<void> {
    try {
      if (unsaved !== null) await store.save(unsaved);
      unsaved = null;
    } catch (err) {
      errors.push(asError(toAppError(err), "position"));
    }
    if (position !== undefined) return;
    try {
      position = await store.load();
    } catch (err) {
      errors.push(asError(toAppError(err), "position"));
      position = null;
    }
  }

  async function fromJournal(directory: string): Promise<LogsData> {
    const cursor = position?.kind === "journal" ? position.cursor : null;
    const dir = hostRoot === "/" ? null : directory;
    const read = await attempt(() =>
      readJournal(executor, { cursor, priority, maxLines, maxBytes, directory: dir }),
    );
    if (read.ok && read.position !== null) advance({ kind: "journal", cursor: read.position });
    return { source: "journal", path: "", read: read.ok ? read.value : read.failed };
  }

  async function fromSyslog(path: string): Promise<LogsData | null> {
    const stat = await statFile(executor, join(hostRoot, path));
    if (stat === null) return null;
    const from = position?.kind === "syslog" && position.path === path ? position : null;
    const read = await attempt(() =>
      readSyslog(executor, {
        path: join(hostRoot, path),
        stat,
        from,
        maxPriority: priorityNumber(priority),
        maxLines,
        maxBytes,
        parse: { now: now(), zone: "local" },
      }),
    );
    if (read.ok) advance({ kind: "syslog", path, ...read.position });
    return { source: "syslog", path, read: read.ok ? read.value : read.failed };
  }

  function advance(next: LogPosition): void {
    position = next;
    unsaved = next;
  }

  async function collect(): Promise<CollectResult<"logs">> {
    const errors: EnvelopeError[] = [];
    await restore(errors);
    let data: LogsData | null = null;
    try {
      const journal = await findJournal(executor, hostRoot);
      if (journal !== null) data = await fromJournal(journal);
      for (const path of syslogPaths) {
        if (data === null || isMissingJournalctl(data)) data = (await fromSyslog(path)) ?? data;
      }
    } catch (err) {
      errors.push(asError(toAppError(err), "logs"));
      return { data: null, errors };
    }
    if (data === null || isMissingJournalctl(data)) {
      const reason = `no systemd journal and none of ${syslogPaths.join(", ")} exists`;
      return { data: null, errors: [], unavailable: { code: ErrorCode.NOT_FOUND, reason } };
    }
    const checked = LogsDataSchema.safeParse(data);
    if (!checked.success) {
      errors.push({
        code: ErrorCode.INTERNAL,
        message: `fails its schema: ${checked.error.message}`.slice(0, 1000),
        source: "logs",
      });
      return { data: null, errors };
    }
    return { data: checked.data, errors: errors.slice(0, 100) };
  }

  return { domain: "logs", defaultIntervalMs: LOGS_INTERVAL_MS, collect };
}

type Attempt<P> = { ok: true; value: LogRead & { ok: true }; position: P } | { ok: false; failed: LogRead };

/** A read's result as data; its lines that are not valid entries travel beside the entries as item errors. */
async function attempt<P>(read: () => Promise<ReadBatch<P>>): Promise<Attempt<P>> {
  try {
    const batch = await read();
    return {
      ok: true,
      value: { ok: true, entries: batch.entries, backlog: batch.backlog, ...boundedItemErrors(batch.errors) },
      position: batch.position,
    };
  } catch (err) {
    const e = toAppError(err, ErrorCode.COMMAND_FAILED);
    return { ok: false, failed: { ok: false, error: { code: e.code, message: e.message.slice(0, 1000) } } };
  }
}

function isMissingJournalctl(data: LogsData): boolean {
  return data.source === "journal" && !data.read.ok && data.read.error.code === ErrorCode.COMMAND_MISSING;
}

function asError(err: AppError, source: string): EnvelopeError {
  const e: EnvelopeError = { code: err.code, message: err.message.slice(0, 1000), source };
  return err.details === undefined ? e : { ...e, details: err.details };
}
