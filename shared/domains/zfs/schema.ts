import { sourceResultSchema } from "@infrastructor/shared/schemas/source-result.ts";
import { z } from "zod";

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
/** Damaged files kept per pool; the rest are counted (`error_files_total`). */
export const MAX_ERROR_FILES = 100;

/**
 * One line of `zpool list`. A pool that is UNAVAIL or FAULTED prints `-` for size, alloc, free,
 * fragmentation and capacity (and may for dedup): those are null, never 0, so such a pool is still
 * reported beside the healthy ones (messages of older agents always carry numbers).
 */
export const ZfsPoolSchema = z.object({
  name: zfsName,
  health: z.string().min(1).max(32),
  size_bytes: bytes.nullable(),
  alloc_bytes: bytes.nullable(),
  free_bytes: bytes.nullable(),
  /** Null where the pool cannot report it ("-", e.g. a pool without spacemap_histogram). */
  fragmentation_pct: pct.nullable(),
  capacity_pct: pct.nullable(),
  dedup_ratio: z.number().finite().nonnegative().nullable(),
});
export type ZfsPool = z.infer<typeof ZfsPoolSchema>;

/**
 * A scan-like activity of a pool, one per line zpool status prints for it (cmd/zpool/zpool_main.c):
 * scrub or resilver (print_scan_scrub_resilver_status; a sequential resilver, print_rebuild_status_impl,
 * is a resilver with `method: "sequential"` and its top-level `vdev`), error scrub (`scrub -e`,
 * print_err_scrub_status), device removal (print_removal_status) and raidz expansion
 * (print_raidz_expand_status). A line of none of these forms is `unknown` with its text: it never
 * costs the pool. Older messages carry only none/scrub/resilver.
 */
export const ZfsScanSchema = z.object({
  function: z.enum(["none", "scrub", "resilver", "errorscrub", "removal", "expand", "unknown"]),
  state: z.enum(["none", "in_progress", "paused", "finished", "canceled", "unknown"]),
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
  /** Resilvers: healing (the pool-wide scan) or sequential (a rebuild of one top-level vdev). */
  method: z.enum(["healing", "sequential"]).optional(),
  /** The top-level vdev a sequential resilver, removal or expansion works on (`draid1-0`, `raidz1-0`). */
  vdev: z.string().max(1024).nullable().optional(),
  /** Removal and expansion: bytes copied so far (or in all, finished). */
  copied_bytes: bytes.nullable().optional(),
  /** Error scrub: error blocks scrubbed (finished) or issued so far. */
  error_blocks: count.nullable().optional(),
  /** The line as zpool printed it (after the `scan:` key), for what the fields above do not hold. */
  text: z.string().max(1024).optional(),
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
  /** 0 for "No known data errors", N for "N data errors" or N files listed by `-v`, else null. */
  data_errors: count.nullable(),
  /**
   * Every other scan-like line of the pool, in print order: a sequential resilver printed after the
   * scrub, one per rebuilding top-level vdev, an error scrub, a removal, an expansion. Absent in
   * messages of older agents.
   */
  activities: z.array(ZfsScanSchema).max(64).optional(),
  /** `checkpoint:` (print_checkpoint_status): a checkpoint exists since `at_local`, or is being discarded. */
  checkpoint: z
    .object({
      state: z.enum(["exists", "discarding"]),
      at_local: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/)
        .nullable(),
      space_bytes: bytes.nullable(),
    })
    .optional(),
  /**
   * `zpool status -v`: the first MAX_ERROR_FILES entries of `Permanent errors have been detected in the
   * following files:` (`/tank/data/file`, `tank/ds:<0x1>`, `<metadata>:<0x0>`), and how many it listed.
   */
  error_files: z.array(z.string().max(4096)).max(MAX_ERROR_FILES).optional(),
  error_files_total: count.optional(),
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
/** Lists past these are cut by the agent (`truncated` counts the rest), never a failed sample. */
export const MAX_POOLS = 256;
export const MAX_DATASETS = 4096;

export const ZfsDataSchema = z.object({
  pools: sourceResultSchema(z.array(ZfsPoolSchema).max(MAX_POOLS)),
  status: sourceResultSchema(z.array(ZfsPoolStatusSchema).max(MAX_POOLS)),
  datasets: sourceResultSchema(z.array(ZfsDatasetSchema).max(MAX_DATASETS)),
  snapshots: sourceResultSchema(z.array(ZfsSnapshotSchema).max(MAX_SNAPSHOTS)).nullable(),
  arc: sourceResultSchema(ZfsArcSchema),
});
export type ZfsData = z.infer<typeof ZfsDataSchema>;
