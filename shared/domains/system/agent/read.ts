import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import type { EnvelopeError } from "@infrastructor/shared/envelope.ts";
import { ErrorCode, toAppError } from "@infrastructor/shared/errors.ts";
import type { ItemError } from "@infrastructor/shared/schemas/source-result.ts";
import type { Load, Memory } from "../schema.ts";
import { type DiskCounters, parseDiskstats, selectWholeDisks } from "./parse-diskstats.ts";
import { parseLoadavg } from "./parse-loadavg.ts";
import { parseMeminfo } from "./parse-meminfo.ts";
import { type NetCounters, parseNetDev } from "./parse-net-dev.ts";
import { type ProcStat, parseStat } from "./parse-stat.ts";
import { parseUptime } from "./parse-uptime.ts";

/** /proc files are small; the cap only guards against a wrong root pointing at something huge. */
const MAX_PROC_BYTES = 4 * 1024 * 1024;

/** Runs one source's read; a failure becomes an entry in `errors` and a null, and the others go on. */
export async function attempt<T>(
  errors: EnvelopeError[],
  source: string,
  task: () => Promise<T>,
): Promise<T | null> {
  try {
    return await task();
  } catch (err) {
    errors.push(toEnvelopeError(err, source));
    return null;
  }
}

export function toEnvelopeError(err: unknown, source: string): EnvelopeError {
  const appError = toAppError(err, ErrorCode.READ_FAILED);
  const error: EnvelopeError = { code: appError.code, message: appError.message.slice(0, 1000), source };
  return appError.details === undefined ? error : { ...error, details: appError.details };
}

export async function readProcFile(executor: Executor, procRoot: string, name: string): Promise<string> {
  return executor.readFile(`${procRoot}/${name}`, { maxBytes: MAX_PROC_BYTES });
}

/**
 * The cumulative counters rates are computed from; already narrowed to what is reported. `item_errors`
 * are the rows of this read that could not be read (their devices simply have no rate this time).
 */
export interface Counters {
  stat: ProcStat | null;
  disks: DiskCounters[] | null;
  interfaces: NetCounters[] | null;
  item_errors: { disks: ItemError[]; interfaces: ItemError[] };
}

export async function readCounters(
  executor: Executor,
  procRoot: string,
  errors: EnvelopeError[],
): Promise<Counters> {
  const [stat, disks, interfaces] = await Promise.all([
    attempt(errors, "proc/stat", async () => parseStat(await readProcFile(executor, procRoot, "stat"))),
    attempt(errors, "proc/diskstats", async () => {
      const parsed = parseDiskstats(await readProcFile(executor, procRoot, "diskstats"));
      return { items: selectWholeDisks(parsed.items, parsed.names), errors: parsed.errors };
    }),
    attempt(errors, "proc/net/dev", async () => {
      const parsed = parseNetDev(await readProcFile(executor, procRoot, "net/dev"));
      // Loopback traffic never leaves the host; it says nothing about the network.
      return { items: parsed.items.filter((n) => n.interface !== "lo"), errors: parsed.errors };
    }),
  ]);
  return {
    stat,
    disks: disks?.items ?? null,
    interfaces: interfaces?.items ?? null,
    item_errors: { disks: disks?.errors ?? [], interfaces: interfaces?.errors ?? [] },
  };
}

/** Point-in-time values. */
export interface Gauges {
  memory: Memory | null;
  load: Load | null;
  uptime_s: number | null;
  process_count: number | null;
}

export async function readGauges(
  executor: Executor,
  procRoot: string,
  errors: EnvelopeError[],
): Promise<Gauges> {
  const [memory, load, uptime, processCount] = await Promise.all([
    attempt(errors, "proc/meminfo", async () =>
      parseMeminfo(await readProcFile(executor, procRoot, "meminfo")),
    ),
    attempt(errors, "proc/loadavg", async () =>
      parseLoadavg(await readProcFile(executor, procRoot, "loadavg")),
    ),
    attempt(errors, "proc/uptime", async () => parseUptime(await readProcFile(executor, procRoot, "uptime"))),
    // Each process has a directory named by its pid; threads do not appear at the top level.
    attempt(
      errors,
      "proc",
      async () => (await executor.listDir(procRoot)).filter((e) => /^\d+$/.test(e)).length,
    ),
  ]);
  return { memory, load, uptime_s: uptime, process_count: processCount };
}
