import { z } from "zod";
import { sourceResultSchema } from "./source-result.ts";

/**
 * The `zfs` domain: pools (`zpool list -Hp` capacity and `zpool status -p` health, scan and vdev tree),
 * datasets and snapshots (`zfs list -Hp`), and ARC counters (/proc/spl/kstat/zfs/arcstats). Each source
 * is a result of its own. `snapshots` is null in a poll that did not list them (they are listed less
 * often than the rest): the stored snapshot set then stays as it is.
 */
const bytes = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const count = bytes;
const pct = z.number().finite().min(0).max(100);
/** ZFS_MAX_DATASET_NAME_LEN is 256 including the terminating NUL. */
const zfsName = z.string().min(1).max(255);
const text = z.string().max(4096);

export const ZfsPoolSchema = z.object({
  name: zfsName,
  health: z.string().min(1).max(32),
  size_bytes: bytes,
  alloc_bytes: bytes,
  free_bytes: bytes,
  /** Null where the pool cannot report it ("-", e.g. a pool without spacemap_histogram). */
  fragmentation_pct: pct.nullable(),
  capacity_pct: pct,
  dedup_ratio: z.number().finite().nonnegative(),
});
export type ZfsPool = z.infer<typeof ZfsPoolSchema>;

export const ZfsScanSchema = z.object({
  function: z.enum(["none", "scrub", "resilver"]),
  state: z.enum(["none", "in_progress", "paused", "finished", "canceled"]),
  /** In progress: share done so far. */
  done_pct: pct.nullable(),
  repaired_bytes: bytes.nullable(),
  /** Finished: errors the scan found. */
  errors: count.nullable(),
  /**
   * When it started (in progress, paused) or ended (finished, canceled), as zpool prints it in the host's
   * local time, without a zone: `2024-02-11T11:54:20`.
   */
  at_local: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/)
    .nullable(),
});
export type ZfsScan = z.infer<typeof ZfsScanSchema>;

export const ZfsVdevSchema = z.object({
  name: z.string().min(1).max(1024),
  /** 0 for the pool itself and section headers (logs, cache, spares), 1 for top-level vdevs, ... */
  depth: z.number().int().min(0).max(32),
  section: z.enum(["data", "logs", "cache", "spares", "special", "dedup"]),
  /** Null for a section header. */
  state: z.string().min(1).max(32).nullable(),
  /** Null where zpool prints no counters (section headers, spares). */
  read_errors: count.nullable(),
  write_errors: count.nullable(),
  cksum_errors: count.nullable(),
  /** Trailing remark: `cannot open`, `was /dev/...`, `(resilvering)`. */
  note: z.string().max(1024).nullable(),
});
export type ZfsVdev = z.infer<typeof ZfsVdevSchema>;

export const ZfsPoolStatusSchema = z.object({
  name: zfsName,
  state: z.string().min(1).max(32),
  status_text: text.nullable(),
  action_text: text.nullable(),
  scan: ZfsScanSchema,
  vdevs: z.array(ZfsVdevSchema).max(4096),
  /** The `errors:` line(s), e.g. `No known data errors`; null when zpool printed none. */
  errors_text: text.nullable(),
  /** 0 for "No known data errors", N for "N data errors", else null. */
  data_errors: count.nullable(),
});
export type ZfsPoolStatus = z.infer<typeof ZfsPoolStatusSchema>;

export const ZfsDatasetSchema = z.object({
  name: zfsName,
  type: z.enum(["filesystem", "volume"]).nullable(),
  used_bytes: bytes,
  avail_bytes: bytes,
  refer_bytes: bytes.nullable(),
  /** Used by this dataset's snapshots / by the dataset itself; null where zfs prints "-". */
  usedsnap_bytes: bytes.nullable(),
  usedds_bytes: bytes.nullable(),
});
export type ZfsDataset = z.infer<typeof ZfsDatasetSchema>;

export const ZfsSnapshotSchema = z.object({
  /** `dataset@snapshot`. */
  name: zfsName,
  used_bytes: bytes,
  refer_bytes: bytes.nullable(),
  /** Creation time, Unix seconds. */
  created_s: z.number().int().nonnegative(),
});
export type ZfsSnapshot = z.infer<typeof ZfsSnapshotSchema>;

/** Cumulative counters (hits, misses) as the kernel keeps them since module load; sizes are gauges. */
export const ZfsArcSchema = z.object({
  size_bytes: bytes,
  target_bytes: bytes,
  min_bytes: bytes,
  max_bytes: bytes,
  hits: count,
  misses: count,
  mru_size_bytes: bytes.nullable(),
  mfu_size_bytes: bytes.nullable(),
  l2_hits: count.nullable(),
  l2_misses: count.nullable(),
  l2_size_bytes: bytes.nullable(),
});
export type ZfsArc = z.infer<typeof ZfsArcSchema>;

/** One envelope's limit is 1 MiB; a snapshot entry is ~100 bytes. */
export const MAX_SNAPSHOTS = 8000;

export const ZfsDataSchema = z.object({
  pools: sourceResultSchema(z.array(ZfsPoolSchema).max(256)),
  status: sourceResultSchema(z.array(ZfsPoolStatusSchema).max(256)),
  datasets: sourceResultSchema(z.array(ZfsDatasetSchema).max(4096)),
  snapshots: sourceResultSchema(z.array(ZfsSnapshotSchema).max(MAX_SNAPSHOTS)).nullable(),
  arc: sourceResultSchema(ZfsArcSchema),
});
export type ZfsData = z.infer<typeof ZfsDataSchema>;
