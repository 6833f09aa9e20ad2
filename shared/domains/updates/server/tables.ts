import { int4, text, textArray, timestamptz } from "@infrastructor/lib/db/column.ts";
import { table } from "@infrastructor/lib/db/table.ts";

/** The current state per device (sql/migrations/2026-11-25-14-updates.*). */
export const updateStatus = table(
  "update_status",
  {
    device_id: int4(),
    collected_at: timestamptz(),
    manager: text(),
    pending_checked_at: timestamptz().nullable(),
    pending_count: int4().nullable(),
    security_count: int4().nullable(),
    error_code: text().nullable(),
    error_message: text().nullable(),
    reboot_required: text<"yes" | "no" | "unknown">(),
    reboot_packages: textArray().withDefault(),
  },
  { kind: "state", primaryKey: ["device_id"] },
);

export const packageUpdates = table(
  "package_updates",
  {
    device_id: int4(),
    name: text(),
    arch: text(),
    current_version: text(),
    available_version: text(),
    repository: text(),
    kind: text<"security" | "regular" | "unknown">(),
  },
  { kind: "state", primaryKey: ["device_id", "name", "arch"] },
);

export const updateCounts = table(
  "update_counts",
  { time: timestamptz(), device_id: int4(), pending_count: int4(), security_count: int4() },
  { kind: "timeseries", primaryKey: ["device_id", "time"], retention: { keep: "raw", by: "time" } },
);

export const UPDATES_TABLE_DECLARATIONS = [updateStatus, packageUpdates, updateCounts] as const;
