import { DATASET_COLUMNS, SNAPSHOT_COLUMNS } from "./parse-zfs-list.ts";
import { ZPOOL_LIST_COLUMNS } from "./parse-zpool-list.ts";

/**
 * The commands the collector runs, fixed argv (no name of ours reaches them). -H: tab-separated, no
 * header; -p: exact numbers (bytes, Unix seconds) instead of `1.2T` and dates.
 */
export const ZPOOL_LIST_ARGV = ["zpool", "list", "-Hp", "-o", ZPOOL_LIST_COLUMNS.join(",")] as const;
/** -v: the files with permanent errors, by name (the parser keeps the first 100 per pool). */
export const ZPOOL_STATUS_ARGV = ["zpool", "status", "-p", "-v"] as const;
export const DATASETS_ARGV = [
  "zfs",
  "list",
  "-Hp",
  "-t",
  "filesystem,volume",
  "-o",
  DATASET_COLUMNS.join(","),
] as const;
export const SNAPSHOTS_ARGV = [
  "zfs",
  "list",
  "-Hp",
  "-t",
  "snapshot",
  "-o",
  SNAPSHOT_COLUMNS.join(","),
] as const;
export const ARCSTATS_PATH = "spl/kstat/zfs/arcstats";
