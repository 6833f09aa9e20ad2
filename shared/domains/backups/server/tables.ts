import { float4, float8, int4, int8, text, timestamptz } from "@infrastructor/lib/db/column.ts";
import { table } from "@infrastructor/lib/db/table.ts";

/** The newest envelope written per device. */
export const backupSync = table(
  "backup_sync",
  { device_id: int4(), collected_at: timestamptz() },
  { kind: "state", primaryKey: ["device_id"] },
);

/** One row per configured probe, current state. */
export const backupProbes = table(
  "backup_probes",
  {
    device_id: int4(),
    name: text(),
    kind: text<"restic" | "borg" | "zfs_snapshot" | "path">(),
    status: text<"ok" | "late" | "failed">(),
    max_age_h: float4(),
    last_success_at: timestamptz().nullable(),
    age_s: float8().nullable(),
    size_bytes: int8().nullable(),
    item_count: int8().nullable(),
    error_code: text().nullable(),
    error_message: text().nullable(),
    checked_at: timestamptz(),
  },
  { kind: "state", primaryKey: ["device_id", "name"] },
);

export const backupProbeResults = table(
  "backup_probe_results",
  {
    time: timestamptz(),
    device_id: int4(),
    name: text(),
    kind: text(),
    status: text(),
    age_s: float8().nullable(),
    size_bytes: int8().nullable(),
    item_count: int8().nullable(),
    error_code: text().nullable(),
  },
  { kind: "timeseries", primaryKey: ["device_id", "name", "time"], retention: { keep: "raw", by: "time" } },
);

export const BACKUPS_TABLE_DECLARATIONS = [backupSync, backupProbes, backupProbeResults] as const;
