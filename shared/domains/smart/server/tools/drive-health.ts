import type { Store } from "@infrastructor/mcp/store/store.ts";
import { driveVerdictSeverity, SEVERITIES } from "@infrastructor/mcp/tools/fleet/severity.ts";
import {
  SMART_TREND_WINDOW_MS,
  type SmartSample,
  smartTrendReasons,
  withTrend,
} from "@infrastructor/shared/smart-trend.ts";
import { z } from "zod";
import type { SmartData, SmartDrive } from "../../schema.ts";

export const DriveSchema = z.object({
  device: z.string(),
  type: z.string().describe("smartctl -d type"),
  status: z.enum(["active", "standby", "unreadable"]),
  verdict: z.enum(["failing", "warning", "ok"]).nullable().describe("null when asleep or unreadable now"),
  severity: z
    .enum(SEVERITIES)
    .nullable()
    .describe(
      "the fleet health check's severity (critical: SMART failed or failing); null when ok or unknown",
    ),
  reasons: z.array(z.string()),
  model: z.string().nullable(),
  serial: z.string().nullable(),
  protocol: z.string().nullable(),
  capacity_bytes: z.number().nullable(),
  temperature_c: z.number().nullable(),
  power_on_hours: z.number().nullable(),
  counters: z
    .object({
      reallocated_sectors: z.number().nullable(),
      pending_sectors: z.number().nullable(),
      offline_uncorrectable: z.number().nullable(),
      crc_errors: z.number().nullable(),
      grown_defects: z.number().nullable(),
      nvme_available_spare_pct: z.number().nullable(),
      nvme_spare_threshold_pct: z.number().nullable(),
      nvme_percentage_used: z.number().nullable(),
      nvme_media_errors: z.number().nullable(),
    })
    .nullable(),
  trend: z.array(z.string()).describe("counters that grew over the last 7 days"),
  last_read_at: z
    .string()
    .nullable()
    .describe("for a sleeping or unreadable drive: when its last reading (shown) was taken"),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type DriveView = z.infer<typeof DriveSchema>;

/** failing, warning, unreadable, ok, standby. */
const RANK = (d: DriveView): number =>
  d.verdict === "failing"
    ? 0
    : d.verdict === "warning"
      ? 1
      : d.status === "unreadable"
        ? 2
        : d.status === "active"
          ? 3
          : 4;

export function sortDrives(drives: DriveView[]): DriveView[] {
  return [...drives].sort((a, b) => RANK(a) - RANK(b) || a.device.localeCompare(b.device));
}

interface StoredDrive {
  device: string;
  device_type: string;
  read_at: Date | null;
  model: string | null;
  serial: string | null;
  protocol: string | null;
  capacity_bytes: number | null;
  temperature_c: number | null;
  power_on_hours: number | null;
  verdict: "ok" | "warning" | "failing" | null;
  reasons: string[];
}

/**
 * Every drive of the sample, with the trend over the 7 days before `observedAt` added to the verdict
 * as the collector does (shared/src/smart-trend.ts), and for a sleeping or unreadable drive its last
 * stored reading.
 */
export async function driveViews(
  store: Store,
  deviceId: number,
  data: SmartData,
  observedAt: Date,
): Promise<DriveView[]> {
  const ids = data.drives.flatMap((d) => (d.ok && d.power_mode === "active" ? [d.drive_id] : []));
  const baselines = new Map<string, SmartSample>();
  if (ids.length > 0) {
    const rows = await store.guard("smart trend baselines", () =>
      store.db
        .selectFrom("smart_metrics")
        .select([
          "drive_id",
          "time",
          "reallocated_sectors",
          "pending_sectors",
          "offline_uncorrectable",
          "crc_errors",
          "media_errors",
        ])
        .distinctOn("drive_id")
        .where("device_id", "=", deviceId)
        .where("drive_id", "in", ids)
        .where("time", ">=", new Date(observedAt.getTime() - SMART_TREND_WINDOW_MS))
        .where("time", "<", observedAt)
        .orderBy("drive_id")
        .orderBy("time", "asc")
        .execute(),
    );
    for (const { drive_id, time, ...counters } of rows) {
      baselines.set(drive_id, { ...counters, atMs: new Date(time).getTime() });
    }
  }
  const asleep = data.drives.some((d) => !d.ok || d.power_mode === "standby");
  const stored = new Map<string, StoredDrive>();
  if (asleep) {
    const rows = await store.guard("smart last readings", () =>
      store.db
        .selectFrom("smart_drives")
        .select([
          "device",
          "device_type",
          "read_at",
          "model",
          "serial",
          "protocol",
          "capacity_bytes",
          "temperature_c",
          "power_on_hours",
          "verdict",
          "reasons",
        ])
        .where("device_id", "=", deviceId)
        .execute(),
    );
    for (const r of rows) stored.set(`${r.device}\u0000${r.device_type}`, r);
  }
  return data.drives.map((d) => toView(d, baselines, stored, observedAt));
}

function toView(
  d: SmartDrive,
  baselines: Map<string, SmartSample>,
  stored: Map<string, StoredDrive>,
  observedAt: Date,
): DriveView {
  const base = { device: d.device, type: d.type, trend: [] as string[] };
  if (d.ok && d.power_mode === "active") {
    const r = d.reading;
    const current: SmartSample = {
      atMs: observedAt.getTime(),
      reallocated_sectors: r.reallocated_sectors,
      pending_sectors: r.pending_sectors,
      offline_uncorrectable: r.offline_uncorrectable,
      crc_errors: r.crc_errors,
      media_errors: r.nvme?.media_errors ?? null,
    };
    const earlier = baselines.get(d.drive_id);
    const trend = earlier === undefined ? [] : smartTrendReasons(earlier, current);
    const { verdict, reasons } = withTrend(d.verdict, d.reasons, trend);
    return {
      ...base,
      status: "active",
      verdict,
      severity: driveVerdictSeverity(verdict),
      reasons,
      model: r.model,
      serial: r.serial,
      protocol: r.protocol,
      capacity_bytes: r.capacity_bytes,
      temperature_c: r.temperature_c,
      power_on_hours: r.power_on_hours,
      counters: {
        reallocated_sectors: r.reallocated_sectors,
        pending_sectors: r.pending_sectors,
        offline_uncorrectable: r.offline_uncorrectable,
        crc_errors: r.crc_errors,
        grown_defects: r.grown_defects,
        nvme_available_spare_pct: r.nvme?.available_spare_pct ?? null,
        nvme_spare_threshold_pct: r.nvme?.available_spare_threshold_pct ?? null,
        nvme_percentage_used: r.nvme?.percentage_used ?? null,
        nvme_media_errors: r.nvme?.media_errors ?? null,
      },
      trend,
      last_read_at: null,
      error: null,
    };
  }
  const last = stored.get(`${d.device}\u0000${d.type}`);
  const lastReading = last?.read_at ? last : undefined;
  const previous = lastReading?.verdict
    ? [
        `last reading (${new Date(lastReading.read_at as Date).toISOString()}): ${lastReading.verdict}${lastReading.reasons.length > 0 ? `: ${lastReading.reasons.join("; ")}` : ""}`,
      ]
    : [];
  const standby = d.ok;
  return {
    ...base,
    status: standby ? "standby" : "unreadable",
    verdict: null,
    severity: null,
    reasons: [standby ? "in standby: not woken to be read" : `unreadable: ${d.error.message}`, ...previous],
    model: lastReading?.model ?? null,
    serial: lastReading?.serial ?? null,
    protocol: lastReading?.protocol ?? null,
    capacity_bytes: lastReading?.capacity_bytes ?? null,
    temperature_c: null,
    power_on_hours: lastReading?.power_on_hours ?? null,
    counters: null,
    last_read_at: lastReading?.read_at ? new Date(lastReading.read_at).toISOString() : null,
    error: d.ok ? null : { code: d.error.code, message: d.error.message },
  };
}

/** Drives matching a name (sda, /dev/sda), serial or model (case-insensitive). */
export function matchDrive(drives: DriveView[], wanted: string): DriveView[] {
  const w = wanted.toLowerCase();
  const bare = w.replace(/^\/dev\//, "");
  return drives.filter((d) => {
    const device = d.device.toLowerCase();
    return (
      device === w ||
      device === `/dev/${bare}` ||
      device.split("/").at(-1) === bare ||
      d.serial?.toLowerCase() === w ||
      d.model?.toLowerCase() === w ||
      (d.model?.toLowerCase().split(/\s+/).includes(w) ?? false)
    );
  });
}
