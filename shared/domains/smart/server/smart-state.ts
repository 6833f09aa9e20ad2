import type { StateItem } from "@infrastructor/collector/ingest/domain-writer.ts";
import {
  SMART_TREND_WINDOW_MS,
  type SmartSample,
  smartTrendReasons,
  withTrend,
} from "@infrastructor/shared/smart-trend.ts";
import type { TransactionSql } from "postgres";
import type { SmartDrive } from "../schema.ts";

/** One smart_drives row as json_to_recordset reads it (snake_case keys = columns). */
export interface SmartDriveRow {
  device_id: number;
  device: string;
  device_type: string;
  collected_at: string;
  status: "active" | "standby" | "failed";
  error_code: string | null;
  error_message: string | null;
  exit_status: number | null;
  exit_flags: string[];
  read_at?: string;
  drive_id?: string;
  protocol?: string;
  model?: string | null;
  serial?: string | null;
  firmware?: string | null;
  capacity_bytes?: number | null;
  rotation_rpm?: number | null;
  health?: string;
  temperature_c?: number | null;
  power_on_hours?: number | null;
  verdict?: string;
  reasons?: string[];
  reading?: unknown;
}

interface Baseline extends SmartSample {
  drive_id: string;
}

/**
 * The rows of one envelope, with each read disk's verdict and reasons extended by its trend: the
 * earliest reading of that disk in the SMART_TREND_WINDOW_MS before this one (already committed rows,
 * or earlier envelopes of this batch, which are COPYed before the state is written).
 */
export async function smartDriveRows(tx: TransactionSql, item: StateItem<"smart">): Promise<SmartDriveRow[]> {
  const at = item.collectedAt;
  const ids = item.data.drives.flatMap((d) => (d.ok && d.power_mode === "active" ? [d.drive_id] : []));
  const baselines = new Map<string, Baseline>();
  if (ids.length > 0) {
    const since = new Date(at.getTime() - SMART_TREND_WINDOW_MS);
    const rows = await tx<(Omit<Baseline, "atMs"> & { time: Date })[]>`
      SELECT DISTINCT ON (drive_id) drive_id, time, reallocated_sectors::float8 AS reallocated_sectors,
        pending_sectors::float8 AS pending_sectors, offline_uncorrectable::float8 AS offline_uncorrectable,
        crc_errors::float8 AS crc_errors, media_errors::float8 AS media_errors
      FROM smart_metrics
      WHERE device_id = ${item.deviceId} AND drive_id = ANY(${ids}::text[]) AND time >= ${since} AND time < ${at}
      ORDER BY drive_id, time ASC`;
    for (const { time, ...row } of rows) baselines.set(row.drive_id, { ...row, atMs: time.getTime() });
  }
  return item.data.drives.map((d) => toRow(item, d, baselines));
}

function toRow(item: StateItem<"smart">, d: SmartDrive, baselines: Map<string, Baseline>): SmartDriveRow {
  const base = {
    device_id: item.deviceId,
    device: d.device,
    device_type: d.type,
    collected_at: item.collectedAt.toISOString(),
  };
  if (!d.ok) {
    const { code, message } = d.error;
    return {
      ...base,
      status: "failed",
      error_code: code,
      error_message: message,
      exit_status: d.exit_status,
      exit_flags: d.exit_flags,
    };
  }
  if (d.power_mode === "standby") {
    return {
      ...base,
      status: "standby",
      error_code: null,
      error_message: null,
      exit_status: null,
      exit_flags: [],
    };
  }
  const r = d.reading;
  const earlier = baselines.get(d.drive_id);
  const current: SmartSample = {
    atMs: item.collectedAt.getTime(),
    reallocated_sectors: r.reallocated_sectors,
    pending_sectors: r.pending_sectors,
    offline_uncorrectable: r.offline_uncorrectable,
    crc_errors: r.crc_errors,
    media_errors: r.nvme?.media_errors ?? null,
  };
  const trend = earlier === undefined ? [] : smartTrendReasons(earlier, current);
  const { verdict, reasons } = withTrend(d.verdict, d.reasons, trend);
  return {
    ...base,
    status: "active",
    error_code: null,
    error_message: null,
    exit_status: d.exit_status,
    exit_flags: d.exit_flags,
    read_at: base.collected_at,
    drive_id: d.drive_id,
    protocol: r.protocol,
    model: r.model,
    serial: r.serial,
    firmware: r.firmware,
    capacity_bytes: r.capacity_bytes,
    rotation_rpm: r.rotation_rpm,
    health: r.health,
    temperature_c: r.temperature_c,
    power_on_hours: r.power_on_hours,
    verdict,
    reasons,
    reading: r,
  };
}
