import { posix } from "node:path";
import type { Executor, FsStats } from "@infrastructor/lib/exec/executor.ts";
import type { EnvelopeError } from "@infrastructor/shared/envelope.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { ItemError } from "@infrastructor/shared/schemas/source-result.ts";
import type { MountUsage } from "../schema.ts";
import type { HangGuard } from "./hang-guard.ts";
import { type MountEntry, parseMounts, selectMounts } from "./parse-mounts.ts";
import { attempt, readProcFile, toEnvelopeError } from "./read.ts";

export interface MountReaderOptions {
  executor: Executor;
  procRoot: string;
  /** Where the host's `/` is visible: `/` for an agent on the host, e.g. `/host` in a container. */
  hostRoot: string;
  guard: HangGuard;
  statfsTimeoutMs: number;
}

/**
 * Usage of every real filesystem; a mount whose statfs fails or hangs is left out and reported. A line
 * of the mount table that cannot be read goes to `itemErrors`, and the other mounts are still measured.
 */
export async function readMounts(
  options: MountReaderOptions,
  errors: EnvelopeError[],
  itemErrors: ItemError[] = [],
): Promise<MountUsage[]> {
  const entries = await attempt(errors, "proc/mounts", async () => {
    const parsed = parseMounts(await readMountTable(options.executor, options.procRoot));
    itemErrors.push(...parsed.errors);
    return selectMounts(parsed.items);
  });
  if (entries === null) return [];
  const usages = await Promise.all(entries.map((entry) => usageOf(options, entry, errors)));
  return usages.filter((usage): usage is MountUsage => usage !== null);
}

/** /proc/mounts is a link to self/mounts on every kernel since 2.4.19; a procfs without `self` lacks it. */
async function readMountTable(executor: Executor, procRoot: string): Promise<string> {
  try {
    return await readProcFile(executor, procRoot, "self/mounts");
  } catch (err) {
    if (!(err instanceof AppError && err.code === ErrorCode.NOT_FOUND)) throw err;
    return readProcFile(executor, procRoot, "mounts");
  }
}

async function usageOf(
  options: MountReaderOptions,
  entry: MountEntry,
  errors: EnvelopeError[],
): Promise<MountUsage | null> {
  const path = posix.join(options.hostRoot, entry.mountpoint);
  let stats: FsStats;
  try {
    stats = await options.guard.run(`statfs ${path}`, options.statfsTimeoutMs, () =>
      options.executor.statfs(path),
    );
  } catch (err) {
    const error = toEnvelopeError(err, "statfs");
    errors.push({ ...error, details: { ...error.details, mountpoint: entry.mountpoint } });
    return null;
  }
  // Zero blocks means no storage behind it (autofs trigger, an unlisted pseudo fs); df hides these too.
  if (stats.blocks === 0) return null;
  return {
    mountpoint: entry.mountpoint,
    device: entry.device,
    fstype: entry.fstype,
    size_bytes: stats.blocks * stats.bsize,
    // As df: "Used" excludes the blocks reserved for root, "Avail" is what an ordinary user can still write.
    used_bytes: Math.max(0, stats.blocks - stats.bfree) * stats.bsize,
    free_bytes: stats.bavail * stats.bsize,
    inodes_total: stats.files,
    inodes_used: Math.max(0, stats.files - stats.ffree),
    inodes_free: stats.ffree,
  };
}
