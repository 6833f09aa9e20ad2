import { float4, int4, int8, jsonb, text, textArray, timestamptz } from "@infrastructor/lib/db/column.ts";
import { table } from "@infrastructor/lib/db/table.ts";

/** The disks now (sql/migrations/2026-11-25-11-smart.*); the last reading is kept while a disk sleeps. */
export const smartDrives = table(
  "smart_drives",
  {
    device_id: int4(),
    device: text(),
    device_type: text(),
    collected_at: timestamptz(),
    status: text<"active" | "standby" | "failed">(),
    error_code: text().nullable(),
    error_message: text().nullable(),
    exit_status: int4().nullable(),
    exit_flags: textArray().withDefault(),
    read_at: timestamptz().nullable(),
    drive_id: text().nullable(),
    protocol: text<"ata" | "nvme" | "scsi">().nullable(),
    model: text().nullable(),
    serial: text().nullable(),
    firmware: text().nullable(),
    capacity_bytes: int8().nullable(),
    rotation_rpm: int4().nullable(),
    health: text<"passed" | "failed" | "unknown">().nullable(),
    temperature_c: float4().nullable(),
    power_on_hours: int8().nullable(),
    verdict: text<"ok" | "warning" | "failing">().nullable(),
    reasons: textArray().withDefault(),
    reading: jsonb().nullable(),
  },
  { kind: "state", primaryKey: ["device_id", "device", "device_type"] },
);

/**
 * The numbers of each disk reading that trend. A disk's decline shows over months and one row an
 * hour per disk is small: kept 365 days (the TimescaleDB migration's policy says the same).
 */
export const smartMetrics = table(
  "smart_metrics",
  {
    time: timestamptz(),
    device_id: int4(),
    drive_id: text(),
    device: text(),
    temperature_c: float4().nullable(),
    power_on_hours: int8().nullable(),
    power_cycles: int8().nullable(),
    reallocated_sectors: int8().nullable(),
    pending_sectors: int8().nullable(),
    offline_uncorrectable: int8().nullable(),
    crc_errors: int8().nullable(),
    grown_defects: int8().nullable(),
    percentage_used: int4().nullable(),
    available_spare_pct: int4().nullable(),
    media_errors: int8().nullable(),
  },
  {
    kind: "timeseries",
    primaryKey: ["device_id", "drive_id", "time"],
    retention: { keep: { days: 365 }, by: "time" },
  },
);

export const SMART_TABLE_DECLARATIONS = [smartDrives, smartMetrics] as const;
