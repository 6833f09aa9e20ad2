import type { Collector, CollectResult } from "@infrastructor/lib/collect/collector.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import type { EnvelopeError } from "@infrastructor/shared/envelope.ts";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { type ItemError, MAX_ITEM_ERRORS } from "@infrastructor/shared/schemas/source-result.ts";
import { systemDomain } from "../domain.ts";
import { SYSTEM_LISTS, type SystemData, SystemDataSchema, type SystemList } from "../schema.ts";
import { HangGuard } from "./hang-guard.ts";
import type { DiskCounters } from "./parse-diskstats.ts";
import { parseHwmon } from "./parse-hwmon.ts";
import type { NetCounters } from "./parse-net-dev.ts";
import type { CpuTimes } from "./parse-stat.ts";
import { cpuUsage, diskRates, networkRates } from "./rates.ts";
import { attempt, type Counters, readCounters, readGauges } from "./read.ts";
import { readHwmonChips } from "./read-hwmon.ts";
import { readMounts } from "./read-mounts.ts";

export interface SystemCollectorOptions {
  executor: Executor;
  procRoot?: string;
  sysRoot?: string;
  /** Where the host's `/` is visible, for statfs of its mounts: `/`, or e.g. `/host` in a container. */
  hostRoot?: string;
  /** Milliseconds on a monotonic clock; rates divide by the difference of two readings. */
  now?: () => number;
  /** Bound on one statfs, which blocks forever on a stale NFS mount. */
  statfsTimeoutMs?: number;
  /** Bound on reading all hwmon sensors; some sit behind slow or wedged buses. */
  hwmonTimeoutMs?: number;
}

/** The counters of the previous sample. A source that failed has null, so it has no rates next time. */
interface Baseline {
  atMs: number;
  cpu: CpuTimes | null;
  disks: ReadonlyMap<string, DiskCounters> | null;
  interfaces: ReadonlyMap<string, NetCounters> | null;
}

/** The envelope takes at most 100 errors; a host with many failing mounts must not break it. */
const MAX_ERRORS = 50;

export function createSystemCollector(options: SystemCollectorOptions): Collector<"system"> {
  const { executor, procRoot = "/proc", sysRoot = "/sys", hostRoot = "/" } = options;
  const now = options.now ?? ((): number => performance.now());
  const statfsTimeoutMs = options.statfsTimeoutMs ?? 2_000;
  const hwmonTimeoutMs = options.hwmonTimeoutMs ?? 5_000;
  const guard = new HangGuard();
  let baseline: Baseline | null = null;

  async function sampleCounters(errors: EnvelopeError[]): Promise<{ counters: Counters; atMs: number }> {
    const counters = await readCounters(executor, procRoot, errors);
    return { counters, atMs: now() };
  }

  /** A sensor whose reading is not a temperature is an item error beside the sensors that were read. */
  async function readTemperatures(
    errors: EnvelopeError[],
    itemErrors: ItemError[],
  ): Promise<SystemData["temperatures"]> {
    const read = await attempt(errors, "hwmon", () =>
      guard.run("hwmon", hwmonTimeoutMs, () => readHwmonChips(executor, sysRoot)),
    );
    if (read === null) return [];
    errors.push(...read.errors);
    const { temperatures, problems } = parseHwmon(read.chips);
    for (const problem of problems) {
      itemErrors.push({
        name: problem.sensor,
        error: {
          code: ErrorCode.PARSE_FAILED,
          message: problem.message.slice(0, 1000),
          line: null,
          excerpt: null,
        },
      });
    }
    return temperatures;
  }

  /** Prime never throws: a source that fails here fails again in collect(), which reports it. */
  async function prime(): Promise<void> {
    const { counters, atMs } = await sampleCounters([]);
    baseline = toBaseline(counters, atMs);
  }

  async function collect(): Promise<CollectResult<"system">> {
    const errors: EnvelopeError[] = [];
    const mountErrors: ItemError[] = [];
    const sensorErrors: ItemError[] = [];
    const [{ counters, atMs }, gauges, mounts, temperatures] = await Promise.all([
      sampleCounters(errors),
      readGauges(executor, procRoot, errors),
      readMounts({ executor, procRoot, hostRoot, guard, statfsTimeoutMs }, errors, mountErrors),
      readTemperatures(errors, sensorErrors),
    ]);
    const previous = baseline;
    baseline = toBaseline(counters, atMs);
    const { stat } = counters;
    const { memory, load, uptime_s, process_count } = gauges;
    if (stat === null || memory === null || load === null || uptime_s === null || process_count === null) {
      // Every one of these is required by the schema: without them there is no sample, only errors.
      return { data: null, errors: capErrors(errors) };
    }
    const intervalS = previous === null ? null : (atMs - previous.atMs) / 1000;
    const rated = intervalS !== null && intervalS > 0 ? intervalS : null;
    const truncated: NonNullable<SystemData["truncated"]> = {};
    const cap = <T>(list: keyof typeof truncated, items: T[], max: number, source: string): T[] => {
      const capped = capList(items, max, source, errors);
      if (capped.left > 0) truncated[list] = capped.left;
      return capped.items;
    };
    const data: SystemData = {
      interval_s: rated,
      uptime_s,
      process_count,
      procs_running: stat.procs_running,
      procs_blocked: stat.procs_blocked,
      cpu: rated !== null && previous?.cpu ? cpuUsage(previous.cpu, stat.cpu, stat.cores) : null,
      load,
      memory,
      mounts: cap("mounts", mounts, 1000, "mounts"),
      disks:
        rated !== null && previous?.disks && counters.disks
          ? cap("disks", diskRates(previous.disks, counters.disks, rated), 1000, "proc/diskstats")
          : [],
      interfaces:
        rated !== null && previous?.interfaces && counters.interfaces
          ? cap(
              "interfaces",
              networkRates(previous.interfaces, counters.interfaces, rated),
              4096,
              "proc/net/dev",
            )
          : [],
      temperatures: cap("temperatures", temperatures, 1000, "hwmon"),
      ...(Object.keys(truncated).length > 0 ? { truncated } : {}),
      ...itemErrorFields({
        mounts: mountErrors,
        disks: counters.item_errors.disks,
        interfaces: counters.item_errors.interfaces,
        temperatures: sensorErrors,
      }),
    };
    // Last line of defence: a sample the hub would reject is reported as an error, not sent.
    const checked = SystemDataSchema.safeParse(data);
    if (!checked.success) {
      errors.push({
        code: ErrorCode.INTERNAL,
        message: `sample fails its schema: ${checked.error.message}`.slice(0, 1000),
        source: "system",
      });
      return { data: null, errors: capErrors(errors) };
    }
    return { data: checked.data, errors: capErrors(errors) };
  }

  return { domain: "system", defaultIntervalMs: systemDomain.intervalMs, prime, collect };
}

function toBaseline(counters: Counters, atMs: number): Baseline {
  return {
    atMs,
    cpu: counters.stat?.cpu ?? null,
    disks: counters.disks && new Map(counters.disks.map((disk) => [disk.name, disk])),
    interfaces: counters.interfaces && new Map(counters.interfaces.map((n) => [n.interface, n])),
  };
}

/** The first `max` of a list, the count left out in `truncated` (stated) and in `errors` (said). */
function capList<T>(
  list: T[],
  max: number,
  source: string,
  errors: EnvelopeError[],
): { items: T[]; left: number } {
  if (list.length <= max) return { items: list, left: 0 };
  errors.push({
    code: ErrorCode.INTERNAL,
    message: `${list.length} entries, only the first ${max} kept`,
    source,
  });
  return { items: list.slice(0, max), left: list.length - max };
}

/** Each list's item errors, at most MAX_ITEM_ERRORS kept and the rest counted; nothing when none. */
function itemErrorFields(
  byList: Record<SystemList, ItemError[]>,
): Pick<SystemData, "item_errors" | "item_errors_dropped"> {
  const kept: NonNullable<SystemData["item_errors"]> = {};
  const dropped: NonNullable<SystemData["item_errors_dropped"]> = {};
  for (const list of SYSTEM_LISTS) {
    const errors = byList[list];
    if (errors.length === 0) continue;
    kept[list] = errors.slice(0, MAX_ITEM_ERRORS);
    if (errors.length > MAX_ITEM_ERRORS) dropped[list] = errors.length - MAX_ITEM_ERRORS;
  }
  return {
    ...(Object.keys(kept).length > 0 ? { item_errors: kept } : {}),
    ...(Object.keys(dropped).length > 0 ? { item_errors_dropped: dropped } : {}),
  };
}

function capErrors(errors: EnvelopeError[]): EnvelopeError[] {
  if (errors.length <= MAX_ERRORS) return errors;
  const omitted = errors.length - (MAX_ERRORS - 1);
  const summary = { code: ErrorCode.INTERNAL, message: `${omitted} more errors omitted`, source: "system" };
  return [...errors.slice(0, MAX_ERRORS - 1), summary];
}
