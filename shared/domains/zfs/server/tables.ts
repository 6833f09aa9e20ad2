import { float4, int4, int8, jsonb, text, timestamptz } from "@infrastructor/lib/db/column.ts";
import { table } from "@infrastructor/lib/db/table.ts";

/** zfs: the newest envelope and snapshot listing written per device. */
export const zfsSync = table(
  "zfs_sync",
  { device_id: int4(), collected_at: timestamptz(), snapshots_at: timestamptz().nullable() },
  { kind: "state", primaryKey: ["device_id"] },
);

/** One row per pool, current state: `zpool list` joined with `zpool status`. */
export const zfsPools = table(
  "zfs_pools",
  {
    device_id: int4(),
    pool: text(),
    health: text().nullable(),
    size_bytes: int8().nullable(),
    alloc_bytes: int8().nullable(),
    free_bytes: int8().nullable(),
    fragmentation_pct: float4().nullable(),
    capacity_pct: float4().nullable(),
    dedup_ratio: float4().nullable(),
    state: text().nullable(),
    status_text: text().nullable(),
    action_text: text().nullable(),
    scan_function: text<
      "none" | "scrub" | "resilver" | "errorscrub" | "removal" | "expand" | "unknown"
    >().nullable(),
    scan_state: text<"none" | "in_progress" | "paused" | "finished" | "canceled" | "unknown">().nullable(),
    scan_done_pct: float4().nullable(),
    scan_repaired_bytes: int8().nullable(),
    scan_errors: int8().nullable(),
    scan_at_local: text().nullable(),
    read_errors: int8().nullable(),
    write_errors: int8().nullable(),
    cksum_errors: int8().nullable(),
    errors_text: text().nullable(),
    data_errors: int8().nullable(),
    vdevs: jsonb().nullable(),
    updated_at: timestamptz(),
    /** `zpool status -v`: damaged files listed (null from older agents or without a list). */
    error_files_total: int8().nullable(),
  },
  { kind: "state", primaryKey: ["device_id", "pool"] },
);

export const zfsDatasets = table(
  "zfs_datasets",
  {
    device_id: int4(),
    name: text(),
    pool: text(),
    type: text<"filesystem" | "volume">().nullable(),
    used_bytes: int8(),
    avail_bytes: int8(),
    refer_bytes: int8().nullable(),
    usedsnap_bytes: int8().nullable(),
    usedds_bytes: int8().nullable(),
    updated_at: timestamptz(),
  },
  { kind: "state", primaryKey: ["device_id", "name"] },
);

export const zfsSnapshots = table(
  "zfs_snapshots",
  {
    device_id: int4(),
    name: text(),
    dataset: text(),
    used_bytes: int8(),
    refer_bytes: int8().nullable(),
    created_at: timestamptz(),
    first_seen_at: timestamptz(),
  },
  { kind: "state", primaryKey: ["device_id", "name"] },
);

export const zfsPoolMetrics = table(
  "zfs_pool_metrics",
  {
    time: timestamptz(),
    device_id: int4(),
    pool: text(),
    health: text(),
    /** Null for a pool that is UNAVAIL or FAULTED (`zpool list` prints "-"). */
    size_bytes: int8().nullable(),
    alloc_bytes: int8().nullable(),
    free_bytes: int8().nullable(),
    capacity_pct: float4().nullable(),
    fragmentation_pct: float4().nullable(),
    read_errors: int8().nullable(),
    write_errors: int8().nullable(),
    cksum_errors: int8().nullable(),
    data_errors: int8().nullable(),
  },
  { kind: "timeseries", primaryKey: ["device_id", "pool", "time"], retention: { keep: "raw", by: "time" } },
);

export const zfsArcMetrics = table(
  "zfs_arc_metrics",
  {
    time: timestamptz(),
    device_id: int4(),
    size_bytes: int8(),
    target_bytes: int8(),
    min_bytes: int8(),
    max_bytes: int8(),
    hits: int8(),
    misses: int8(),
    mru_size_bytes: int8().nullable(),
    mfu_size_bytes: int8().nullable(),
    l2_hits: int8().nullable(),
    l2_misses: int8().nullable(),
    l2_size_bytes: int8().nullable(),
  },
  { kind: "timeseries", primaryKey: ["device_id", "time"], retention: { keep: "raw", by: "time" } },
);

export const ZFS_TABLE_DECLARATIONS = [
  zfsSync,
  zfsPools,
  zfsDatasets,
  zfsSnapshots,
  zfsPoolMetrics,
  zfsArcMetrics,
] as const;
