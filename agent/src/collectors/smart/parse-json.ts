import type { NvmeHealth, SmartAttribute, SmartReading } from "@infrastructor/shared/schemas/smart.ts";
import { parseFailed } from "../../lib/parse-error.ts";
import { parseJson } from "../../lib/parse-json.ts";
import { ataCounters, leadingInteger, whenFailed } from "./ata-counters.ts";
import { type SmartctlJson, SmartctlJsonSchema } from "./smartctl-json-schema.ts";
import { type SmartctlResult, STANDBY_MESSAGE } from "./smartctl-result.ts";

const SOURCE = "smartctl --json";

/** Output of `smartctl -a -j -n standby DEVICE` (smartmontools >= 7; -x and -iHA outputs too). */
export function parseSmartctlJson(text: string): SmartctlResult {
  const json = parseJson(SOURCE, text, SmartctlJsonSchema, (path) => lineOfLastKey(text, path));
  const version = json.smartctl.version?.join(".") ?? null;
  const exit_status = json.smartctl.exit_status ?? null;
  const messages = (json.smartctl.messages ?? []).map((m) => m.string);
  if (messages.some((m) => STANDBY_MESSAGE.test(m))) return { kind: "standby", version, exit_status };
  if (json.device === undefined) {
    const message = messages.join("; ") || "smartctl reported no device";
    return { kind: "no_data", version, exit_status, message };
  }
  return { kind: "reading", version, exit_status, reading: toReading(json, text) };
}

function toReading(json: SmartctlJson, text: string): SmartReading {
  const protocol = protocolOf(json.device?.protocol ?? "", text);
  const attributes = (json.ata_smart_attributes?.table ?? []).map((row) => toAttribute(row, text));
  const ata = ataCounters(attributes);
  const nvme = json.nvme_smart_health_information_log;
  const temp = json.temperature;
  const scsiModel = [json.scsi_vendor, json.scsi_product].filter(Boolean).join(" ");
  return {
    protocol,
    model: nonEmpty(json.model_name ?? json.scsi_model_name ?? scsiModel),
    serial: nonEmpty(json.serial_number),
    firmware: nonEmpty(json.firmware_version ?? json.scsi_revision),
    capacity_bytes: json.user_capacity?.bytes ?? json.nvme_total_capacity ?? null,
    rotation_rpm: json.rotation_rate ?? (protocol === "nvme" ? 0 : null),
    health: json.smart_status === undefined ? "unknown" : json.smart_status.passed ? "passed" : "failed",
    temperature_c: temp?.current ?? nvme?.temperature ?? ata.temperature_c,
    temperature_limit_c:
      temp?.drive_trip ?? temp?.op_limit_max ?? json.nvme_composite_temperature_threshold?.warning ?? null,
    power_on_hours: json.power_on_time?.hours ?? nvme?.power_on_hours ?? ata.power_on_hours,
    power_cycles: json.power_cycle_count ?? nvme?.power_cycles ?? ata.power_cycles,
    reallocated_sectors: ata.reallocated_sectors,
    pending_sectors: ata.pending_sectors,
    offline_uncorrectable: ata.offline_uncorrectable,
    crc_errors: ata.crc_errors,
    grown_defects: json.scsi_grown_defect_list ?? null,
    nvme: nvme === undefined ? null : toNvme(nvme),
    attributes,
  };
}

function protocolOf(protocol: string, text: string): SmartReading["protocol"] {
  const p = protocol.toLowerCase();
  if (p === "ata" || p === "nvme" || p === "scsi") return p;
  throw parseFailed(SOURCE, `unknown device protocol ${JSON.stringify(protocol)}`, lineOf(text, "protocol"));
}

type Row = NonNullable<SmartctlJson["ata_smart_attributes"]>["table"][number];

function toAttribute(row: Row, text: string): SmartAttribute {
  const when = whenFailed(row.when_failed ?? "");
  if (when === undefined) {
    throw parseFailed(
      SOURCE,
      `attribute ${row.id}: unknown when_failed ${JSON.stringify(row.when_failed)}`,
      lineOf(text, "when_failed"),
    );
  }
  return {
    id: row.id,
    name: row.name.slice(0, 64),
    value: row.value ?? null,
    worst: row.worst ?? null,
    thresh: row.thresh ?? null,
    kind: row.flags?.prefailure ? "prefail" : "old_age",
    when_failed: when,
    raw: leadingInteger(row.raw.string) ?? row.raw.value,
    raw_string: row.raw.string.slice(0, 128),
  };
}

function toNvme(log: NonNullable<SmartctlJson["nvme_smart_health_information_log"]>): NvmeHealth {
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
