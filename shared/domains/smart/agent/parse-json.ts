import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import { itemError } from "@infrastructor/lib/collect/parse-items.ts";
import { parseJson } from "@infrastructor/lib/collect/parse-json.ts";
import type { ItemError } from "@infrastructor/shared/schemas/source-result.ts";
import type { NvmeHealth, SmartReading } from "../schema.ts";
import { ataCounters } from "./ata-counters.ts";
import { parseJsonAttributes } from "./json-attributes.ts";
import {
  type NvmeLog,
  NvmeLogSchema,
  type SmartctlJson,
  SmartctlJsonSchema,
} from "./smartctl-json-schema.ts";
import { type SmartctlResult, STANDBY_MESSAGE } from "./smartctl-result.ts";
import { plausibleTemperature } from "./temperature.ts";

const SOURCE = "smartctl --json";

/**
 * Output of `smartctl -a -j -n standby DEVICE` (smartmontools >= 7, and 6.7's pre-release JSON; -x
 * and -iHA outputs too). `device` is the JSON's own top-level `device` object when it has one.
 */
export function parseSmartctlJson(text: string): SmartctlResult {
  const json = parseJson(SOURCE, text, SmartctlJsonSchema, (path) => lineOfLastKey(text, path));
  const version = json.smartctl.version?.join(".") ?? null;
  const exit_status = json.smartctl.exit_status ?? null;
  const device = json.device === undefined ? null : { device: json.device.name, type: json.device.type };
  const messages = (json.smartctl.messages ?? []).map((m) => m.string);
  if (messages.some((m) => STANDBY_MESSAGE.test(m))) return { kind: "standby", version, exit_status, device };
  if (json.device === undefined) {
    const message = messages.join("; ") || "smartctl reported no device";
    return { kind: "no_data", version, exit_status, message, device };
  }
  return { kind: "reading", version, exit_status, reading: toReading(json, text), device };
}

function toReading(json: SmartctlJson, text: string): SmartReading {
  const protocol = protocolOf(json.device?.protocol ?? "", text);
  const parsed = parseJsonAttributes(json.ata_smart_attributes?.table ?? []);
  const attributes = parsed.items;
  const ata = ataCounters(attributes);
  const { log: nvme, errors: nvmeErrors } = nvmeLogOf(json.nvme_smart_health_information_log);
  const vendor = json.scsi_vendor ?? json.vendor;
  const product = json.scsi_product ?? json.product;
  const scsiModel = [vendor, product].filter(Boolean).join(" ");
  const reading: SmartReading = {
    protocol,
    model: nonEmpty(json.model_name ?? json.scsi_model_name ?? scsiModel),
    serial: nonEmpty(json.serial_number),
    // SCSI: `revision` before smartmontools 7.3, `scsi_revision` since.
    firmware: nonEmpty(json.firmware_version ?? json.scsi_revision ?? json.revision),
    capacity_bytes: json.user_capacity?.bytes ?? json.nvme_total_capacity ?? null,
    rotation_rpm: json.rotation_rate ?? (protocol === "nvme" ? 0 : null),
    health: json.smart_status === undefined ? "unknown" : json.smart_status.passed ? "passed" : "failed",
    ...temperatureOf(json, nvme?.temperature ?? ata.temperature_c),
    power_on_hours: json.power_on_time?.hours ?? nvme?.power_on_hours ?? ata.power_on_hours,
    power_cycles: json.power_cycle_count ?? nvme?.power_cycles ?? ata.power_cycles,
    reallocated_sectors: ata.reallocated_sectors,
    pending_sectors: ata.pending_sectors,
    offline_uncorrectable: ata.offline_uncorrectable,
    crc_errors: ata.crc_errors,
    grown_defects: json.scsi_grown_defect_list ?? null,
    nvme: nvme === undefined ? null : toNvme(nvme),
    attributes,
    smart_support:
      json.smart_support?.available === undefined
        ? null
        : json.smart_support.available
          ? "available"
          : "unavailable",
    start_stop_cycles: json.scsi_start_stop_cycle_counter?.accumulated_start_stop_cycles ?? null,
    uncorrected_errors: uncorrected(json.scsi_error_counter_log),
  };
  const errors = [...parsed.errors, ...nvmeErrors];
  return errors.length === 0 ? reading : { ...reading, item_errors: errors.slice(0, 64) };
}

const NVME_LOG = "nvme_smart_health_information_log";

function nvmeLogOf(value: unknown): { log: NvmeLog | undefined; errors: ItemError[] } {
  if (value === undefined) return { log: undefined, errors: [] };
  const checked = NvmeLogSchema.safeParse(value);
  if (checked.success) return { log: checked.data, errors: [] };
  const issue = checked.error.issues[0];
  const err = parseFailed(
    SOURCE,
    `${NVME_LOG}.${issue?.path.join(".") ?? ""}: ${issue?.message ?? "unreadable"}`,
  );
  const text = (JSON.stringify(value) ?? "").slice(0, 200);
  return { log: undefined, errors: [itemError({ name: NVME_LOG, line: null, text }, err)] };
}

/**
 * `temperature.current`, else the protocol's own; the limit from the drive. A SCSI drive that answers
 * 0 to the old query but has an environmental report (SPC-5) is read from the report.
 */
function temperatureOf(json: SmartctlJson, fallback: number | null): ReturnType<typeof plausibleTemperature> {
  const t = json.temperature;
  const limit =
    t?.drive_trip ??
    json.scsi_temperature?.drive_trip ??
    t?.op_limit_max ??
    json.nvme_composite_temperature_threshold?.warning ??
    null;
  const report = json.scsi_environmental_reports?.temperature_1?.current;
  const current = t?.current === 0 && report !== undefined ? report : (t?.current ?? fallback);
  return plausibleTemperature(current, limit);
}

function uncorrected(log: SmartctlJson["scsi_error_counter_log"]): number | null {
  if (log === undefined) return null;
  const counts = [log.read, log.write, log.verify].map((c) => c?.total_uncorrected_errors);
  if (counts.every((c) => c === undefined)) return null;
  return counts.reduce<number>((sum, c) => sum + (c ?? 0), 0);
}

function protocolOf(protocol: string, text: string): SmartReading["protocol"] {
  const p = protocol.toLowerCase();
  if (p === "ata" || p === "nvme" || p === "scsi") return p;
  throw parseFailed(SOURCE, `unknown device protocol ${JSON.stringify(protocol)}`, lineOf(text, "protocol"));
}

function toNvme(log: NvmeLog): NvmeHealth {
  return {
    critical_warning: log.critical_warning,
    percentage_used: log.percentage_used,
    available_spare_pct: log.available_spare,
    available_spare_threshold_pct: log.available_spare_threshold,
    media_errors: log.media_errors,
    unsafe_shutdowns: log.unsafe_shutdowns,
    error_log_entries: log.num_err_log_entries,
  };
}

function nonEmpty(value: string | undefined): string | null {
  const v = value?.trim();
  return v === undefined || v === "" ? null : v;
}

/** Where a shape mismatch is: the line of the innermost key on its path. */
function lineOfLastKey(text: string, path: readonly PropertyKey[]): { line?: number; excerpt?: string } {
  const key = path.findLast((p) => typeof p === "string");
  return typeof key === "string" ? lineOf(text, key) : {};
}

/** The first line that has `"key"`: where a sysadmin should look. */
function lineOf(text: string, key: string): { line?: number; excerpt?: string } {
  const lines = text.split("\n");
  const index = lines.findIndex((l) => l.includes(`"${key}"`));
  return index === -1 ? {} : { line: index + 1, excerpt: lines[index]?.trim() ?? "" };
}
