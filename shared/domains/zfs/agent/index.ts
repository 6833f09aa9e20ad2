import type { Collector, CollectResult } from "@infrastructor/lib/collect/collector.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import type { EnvelopeError } from "@infrastructor/shared/envelope.ts";
import { ErrorCode, toAppError } from "@infrastructor/shared/errors.ts";
import type { SourceResult } from "@infrastructor/shared/schemas/source-result.ts";
import { zfsDomain } from "../domain.ts";
import {
  MAX_DATASETS,
  MAX_POOLS,
  MAX_SNAPSHOTS,
  type ZfsArc,
  ZfsDataSchema,
  type ZfsPool,
  type ZfsSnapshot,
} from "../schema.ts";
import {
  ARCSTATS_PATH,
  DATASETS_ARGV,
  SNAPSHOTS_ARGV,
  ZPOOL_LIST_ARGV,
  ZPOOL_STATUS_ARGV,
} from "./commands.ts";
import { parseArcstats } from "./parse-arcstats.ts";
import { parseZfsDatasets, parseZfsSnapshots } from "./parse-zfs-list.ts";
import { parseZpoolList } from "./parse-zpool-list.ts";
import { parseZpoolStatus } from "./parse-zpool-status.ts";
import { failed, modulesNotLoaded, parseText, runItems } from "./read.ts";

export interface ZfsCollectorOptions {
  executor: Executor;
  procRoot?: string;
  /** Snapshots are listed at most this often (seconds); 0 lists them on every poll. */
  snapshot_interval_s?: number;
  /** Bound on each zpool/zfs command (seconds). */
  timeout_s?: number;
  /** Milliseconds on a monotonic clock, for the snapshot schedule. */
  now?: () => number;
}

export const ZFS_INTERVAL_MS = zfsDomain.intervalMs;

export function createZfsCollector(options: ZfsCollectorOptions): Collector<"zfs"> {
  const { executor, procRoot = "/proc" } = options;
  const snapshotEveryMs = (options.snapshot_interval_s ?? 900) * 1000;
  const run = { timeoutMs: (options.timeout_s ?? 60) * 1000 };
  const now = options.now ?? ((): number => performance.now());
  let snapshotsAt: number | null = null;

  async function readSnapshots(errors: EnvelopeError[]): Promise<SourceResult<ZfsSnapshot[]> | null> {
    const at = now();
    if (snapshotsAt !== null && at - snapshotsAt < snapshotEveryMs) return null;
    const listed = await runItems(executor, SNAPSHOTS_ARGV, (text) => parseZfsSnapshots(text), {
      ...run,
      maxOutputBytes: 64 * 1024 * 1024,
    });
    if (!listed.ok) return listed;
    // A failed listing is retried at the next poll; a good one waits for the interval.
    snapshotsAt = at;
    // Lines it could not read travel beside the snapshots it could.
    const { value: _, ...itemErrors } = listed;
    const byName = new Map(listed.value.map((s) => [s.name, s]));
    if (byName.size < listed.value.length) {
      const message = `${listed.value.length - byName.size} duplicate snapshot names, the last kept`;
      errors.push({ code: ErrorCode.PARSE_FAILED, message, source: "zfs list -t snapshot" });
    }
    // Delegated users (`zfs allow … snapshot`) can make snapshots without end: the newest are sent,
    // the rest counted, instead of no snapshot list at all.
    if (byName.size > MAX_SNAPSHOTS) {
      const newest = [...byName.values()].sort((a, b) => b.created_s - a.created_s);
      return {
        ...itemErrors,
        value: newest.slice(0, MAX_SNAPSHOTS),
        truncated: byName.size - MAX_SNAPSHOTS,
      };
    }
    return { ...itemErrors, value: [...byName.values()] };
  }

  async function readArc(): Promise<SourceResult<ZfsArc>> {
    try {
      const text = await executor.readFile(`${procRoot}/${ARCSTATS_PATH}`, { maxBytes: 1024 * 1024 });
      return parseText(text, parseArcstats);
    } catch (err) {
      return failed(toAppError(err, ErrorCode.READ_FAILED));
    }
  }

  async function collect(): Promise<CollectResult<"zfs">> {
    let pools: SourceResult<ZfsPool[]>;
    try {
      pools = await runItems(executor, ZPOOL_LIST_ARGV, parseZpoolList, { ...run, max: MAX_POOLS });
    } catch (err) {
      const e = toAppError(err);
      return {
        data: null,
        errors: [],
        unavailable: { code: e.code, reason: "zpool is not installed: no ZFS on this host" },
      };
    }
    if (!pools.ok && modulesNotLoaded(pools.error.message)) {
      return { data: null, errors: [], unavailable: { code: pools.error.code, reason: pools.error.message } };
    }
    const errors: EnvelopeError[] = [];
    const [status, datasets, snapshots, arc] = await Promise.all([
      runItems(executor, ZPOOL_STATUS_ARGV, parseZpoolStatus, { ...run, max: MAX_POOLS }).catch(missing),
      runItems(executor, DATASETS_ARGV, (text) => parseZfsDatasets(text), {
        ...run,
        max: MAX_DATASETS,
      }).catch(missing),
      readSnapshots(errors).catch(missing),
      readArc(),
    ]);
    const checked = ZfsDataSchema.safeParse({ pools, status, datasets, snapshots, arc });
    if (!checked.success) {
      const message = `sample fails its schema: ${checked.error.message}`.slice(0, 1000);
      errors.push({ code: ErrorCode.INTERNAL, message, source: "zfs" });
      return { data: null, errors };
    }
    return { data: checked.data, errors };
  }

  return { domain: "zfs", defaultIntervalMs: ZFS_INTERVAL_MS, collect };
}

/** zfs missing while zpool is present (a broken install): that source fails, the others stand. */
function missing(err: unknown): SourceResult<never> {
  return failed(toAppError(err));
}
