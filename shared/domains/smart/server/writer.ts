import {
  type DomainWriter,
  type StateItem,
  timeSeriesTable,
} from "@infrastructor/collector/ingest/domain-writer.ts";
import type { RowBuffers } from "@infrastructor/collector/ingest/row-buffers.ts";
import type { TransactionSql } from "postgres";
import type { SmartData, SmartDriveRead } from "../schema.ts";
import { smartDriveRows } from "./smart-state.ts";
import { smartMetrics } from "./tables.ts";

/** The time series this writer appends to, from its declaration (tables.ts): columns, line order, 365 days. */
export const SMART_TABLES = {
  smart_metrics: timeSeriesTable(smartMetrics),
};

export const smartWriter: DomainWriter<"smart"> = {
  domain: "smart",
  tables: Object.values(SMART_TABLES),
  rowCount: (data) => readDrives(data).length,
  addRows: addSmartRows,
  writeState: writeSmartState,
};

export function readDrives(data: SmartData): SmartDriveRead[] {
  return data.drives.filter((d): d is SmartDriveRead => d.ok && d.power_mode === "active");
}

/** One smart_metrics row per disk that was read; sleeping and failed disks have no numbers. */
export function addSmartRows(out: RowBuffers, deviceId: number, collectedAt: Date, data: SmartData): void {
  const drives = readDrives(data);
  if (drives.length === 0) return;
  const time = collectedAt.toISOString();
  const line = SMART_TABLES.smart_metrics.line;
  let lines = "";
  for (const d of drives) {
    const r = d.reading;
    lines += line({
      time,
      device_id: deviceId,
      drive_id: d.drive_id,
      device: d.device,
      temperature_c: r.temperature_c,
      power_on_hours: r.power_on_hours,
      power_cycles: r.power_cycles,
      reallocated_sectors: r.reallocated_sectors,
      pending_sectors: r.pending_sectors,
      offline_uncorrectable: r.offline_uncorrectable,
      crc_errors: r.crc_errors,
      grown_defects: r.grown_defects,
      percentage_used: r.nvme?.percentage_used,
      available_spare_pct: r.nvme?.available_spare_pct,
      media_errors: r.nvme?.media_errors,
    });
  }
  out.append("smart_metrics", collectedAt.getTime(), lines, drives.length);
}

/**
 * smart_drives: each device's disks as its newest envelope lists them (an older replay changes
 * nothing). A read disk replaces its row; a sleeping or failing one keeps its last reading and
 * changes only its status. Disks no longer listed go. The trend reasons are computed here, against
 * the disk's earliest stored reading of the last 7 days (smart-state.ts).
 */
export async function writeSmartState(tx: TransactionSql, items: StateItem<"smart">[]): Promise<void> {
  for (const item of items) {
    const rows = await smartDriveRows(tx, item);
    const at = item.collectedAt.toISOString();
    const active = rows.filter((r) => r.status === "active");
    const other = rows.filter((r) => r.status !== "active");
    if (active.length > 0) {
      await tx`
        INSERT INTO smart_drives (device_id, device, device_type, collected_at, status, error_code, error_message,
          exit_status, exit_flags, read_at, drive_id, protocol, model, serial, firmware, capacity_bytes,
          rotation_rpm, health, temperature_c, power_on_hours, verdict, reasons, reading)
        SELECT * FROM json_to_recordset(${JSON.stringify(active)}::text::json) AS r(device_id int, device text,
          device_type text, collected_at timestamptz, status text, error_code text, error_message text,
          exit_status int, exit_flags text[], read_at timestamptz, drive_id text, protocol text, model text,
          serial text, firmware text, capacity_bytes bigint, rotation_rpm int, health text, temperature_c real,
          power_on_hours bigint, verdict text, reasons text[], reading jsonb)
        ON CONFLICT (device_id, device, device_type) DO UPDATE SET
          collected_at = EXCLUDED.collected_at, status = EXCLUDED.status, error_code = NULL,
          error_message = NULL, exit_status = EXCLUDED.exit_status, exit_flags = EXCLUDED.exit_flags,
          read_at = EXCLUDED.read_at, drive_id = EXCLUDED.drive_id, protocol = EXCLUDED.protocol,
          model = EXCLUDED.model, serial = EXCLUDED.serial, firmware = EXCLUDED.firmware,
          capacity_bytes = EXCLUDED.capacity_bytes, rotation_rpm = EXCLUDED.rotation_rpm,
          health = EXCLUDED.health, temperature_c = EXCLUDED.temperature_c,
          power_on_hours = EXCLUDED.power_on_hours, verdict = EXCLUDED.verdict, reasons = EXCLUDED.reasons,
          reading = EXCLUDED.reading
        WHERE smart_drives.collected_at <= EXCLUDED.collected_at`;
    }
    if (other.length > 0) {
      await tx`
        INSERT INTO smart_drives (device_id, device, device_type, collected_at, status, error_code, error_message,
          exit_status, exit_flags)
        SELECT device_id, device, device_type, collected_at, status, error_code, error_message, exit_status,
          exit_flags
        FROM json_to_recordset(${JSON.stringify(other)}::text::json) AS r(device_id int, device text,
          device_type text, collected_at timestamptz, status text, error_code text, error_message text,
          exit_status int, exit_flags text[])
        ON CONFLICT (device_id, device, device_type) DO UPDATE SET
          collected_at = EXCLUDED.collected_at, status = EXCLUDED.status, error_code = EXCLUDED.error_code,
          error_message = EXCLUDED.error_message, exit_status = EXCLUDED.exit_status,
          exit_flags = EXCLUDED.exit_flags
        WHERE smart_drives.collected_at <= EXCLUDED.collected_at`;
    }
    const listed = JSON.stringify(rows.map((r) => ({ device: r.device, device_type: r.device_type })));
    await tx`
      DELETE FROM smart_drives WHERE device_id = ${item.deviceId} AND collected_at < ${at}::timestamptz
        AND (device, device_type) NOT IN (
          SELECT device, device_type FROM json_to_recordset(${listed}::text::json) AS r(device text, device_type text))`;
  }
}
