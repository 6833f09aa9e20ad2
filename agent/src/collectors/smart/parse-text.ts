import type { NvmeHealth, SmartAttribute, SmartReading } from "@infrastructor/shared/schemas/smart.ts";
import { parseFailed } from "../../lib/parse-error.ts";
import { ataCounters } from "./ata-counters.ts";
import {
  isAttributeHeader,
  isAttributeTableEnd,
  parseAttributeRow,
  TEXT_SOURCE,
} from "./parse-text-attributes.ts";
import { type SmartctlResult, STANDBY_MESSAGE } from "./smartctl-result.ts";

/**
 * Plain `smartctl -i -H -A -n standby DEVICE` output, for hosts with smartmontools < 7 (no --json).
 * The info section is descriptive: a value in an unexpected shape there is left null. The numbers that
 * judge a drive (attribute rows, NVMe and SCSI health lines) must parse, or PARSE_FAILED names the line.
 * The text carries no exit status: the caller has it from the run.
 */
export function parseSmartctlText(text: string): SmartctlResult {
  const lines = text.split("\n");
  const banner = /^smartctl (\d+\.\d+)\b/.exec(lines[0] ?? "");
  if (banner === null) {
    throw parseFailed(TEXT_SOURCE, "does not start with smartctl's banner", {
      line: 1,
      excerpt: lines[0] ?? "",
    });
  }
  const version = banner[1] ?? null;
  if (lines.some((l) => STANDBY_MESSAGE.test(l))) return { kind: "standby", version, exit_status: null };

  const info = new Map<string, string>();
  const attributes: SmartAttribute[] = [];
  const values = new Map<string, { value: string; lineNo: number; line: string }>();
  let health: SmartReading["health"] | undefined;
  let inTable = false;
  let tableEnded = false;
  let section = "";
  lines.forEach((line, i) => {
    const lineNo = i + 1;
    if (inTable) {
      if (isAttributeTableEnd(line)) {
        inTable = false;
        tableEnded = true;
      } else attributes.push(parseAttributeRow(line, lineNo));
      return;
    }
    const heading = /^=== START OF (.+) SECTION ===$/.exec(line.trim());
    if (heading !== null) section = heading[1] ?? "";
    else if (isAttributeHeader(line)) inTable = true;
    else {
      const h = /^SMART (?:overall-health self-assessment test result|Health Status):\s*(.+)$/.exec(line);
      if (h !== null) health = /^(PASSED|OK)$/.test(h[1]?.trim() ?? "") ? "passed" : "failed";
      const kv = /^([^:]{1,60}?):\s+(.*?)\s*$/.exec(line);
      if (kv?.[1] !== undefined && kv[2] !== undefined) {
        const key = kv[1].trim().toLowerCase();
        if (section === "INFORMATION") info.set(key, kv[2]);
        else values.set(key, { value: kv[2], lineNo, line });
      }
    }
  });
  if (inTable) {
    throw parseFailed(TEXT_SOURCE, "truncated: the attribute table has no end", {
      line: lines.length,
      excerpt: lines.at(-1) ?? "",
    });
  }
  if (info.size === 0 || (health === undefined && !tableEnded && values.size === 0)) {
    const at = lastLine(lines);
    throw parseFailed(TEXT_SOURCE, "no information and SMART data sections (truncated?)", at);
  }
  return {
    kind: "reading",
    version,
    exit_status: null,
    reading: toReading(info, values, attributes, health),
  };
}

type Values = Map<string, { value: string; lineNo: number; line: string }>;

function toReading(
  info: Map<string, string>,
  values: Values,
  attributes: SmartAttribute[],
  health: SmartReading["health"] | undefined,
): SmartReading {
  const protocol: SmartReading["protocol"] = info.has("model number")
    ? "nvme"
    : info.has("product") || info.has("transport protocol")
      ? "scsi"
      : "ata";
  const ata = ataCounters(attributes);
  const nvme = protocol === "nvme" ? nvmeHealth(values) : null;
  const number = (key: string): number | null => optionalNumber(values, key);
  const scsiModel = [info.get("vendor"), info.get("product")].filter(Boolean).join(" ");
  return {
    protocol,
    model: info.get("device model") ?? info.get("model number") ?? (scsiModel || null),
    serial: info.get("serial number") ?? null,
    firmware: info.get("firmware version") ?? info.get("revision") ?? null,
    capacity_bytes: capacity(
      info.get("user capacity") ?? info.get("total nvm capacity") ?? info.get("namespace 1 size/capacity"),
    ),
    rotation_rpm: rotation(info.get("rotation rate"), protocol),
    health: health ?? "unknown",
    temperature_c:
      protocol === "nvme"
        ? number("temperature")
        : protocol === "scsi"
          ? number("current drive temperature")
          : ata.temperature_c,
    temperature_limit_c: protocol === "scsi" ? number("drive trip temperature") : null,
    power_on_hours: protocol === "nvme" ? number("power on hours") : ata.power_on_hours,
    power_cycles: protocol === "nvme" ? number("power cycles") : ata.power_cycles,
    reallocated_sectors: ata.reallocated_sectors,
    pending_sectors: ata.pending_sectors,
    offline_uncorrectable: ata.offline_uncorrectable,
    crc_errors: ata.crc_errors,
    grown_defects: protocol === "scsi" ? number("elements in grown defect list") : null,
    nvme,
    attributes,
  };
}

function nvmeHealth(values: Values): NvmeHealth | null {
  if (!values.has("percentage used")) return null;
  const req = (key: string): number => {
    const n = optionalNumber(values, key);
    if (n === null) throw parseFailed(TEXT_SOURCE, `NVMe health log has no "${key}" line`);
    return n;
  };
  const warning = values.get("critical warning");
  return {
    critical_warning: warning === undefined ? 0 : Number.parseInt(warning.value, 16) || 0,
    percentage_used: Math.min(255, req("percentage used")),
    available_spare_pct: req("available spare"),
    available_spare_threshold_pct: req("available spare threshold"),
    media_errors: req("media and data integrity errors"),
    unsafe_shutdowns: req("unsafe shutdowns"),
    error_log_entries: req("error information log entries"),
  };
}

/** "6,038", "38 Celsius", "100%", "36 C": the number, or PARSE_FAILED naming the line. */
function optionalNumber(values: Values, key: string): number | null {
  const entry = values.get(key);
  if (entry === undefined) return null;
  const m = /^(-?[\d,]+)\s*(%|C|Celsius)?(\s|$)/.exec(entry.value);
  if (m?.[1] === undefined) {
    throw parseFailed(TEXT_SOURCE, `${key} is not a number`, { line: entry.lineNo, excerpt: entry.line });
  }
  return Number(m[1].replaceAll(",", ""));
}

function capacity(value: string | undefined): number | null {
  const m = /^([\d,]+)(\s+bytes)?\s*\[/.exec(value ?? "");
  return m?.[1] === undefined ? null : Number(m[1].replaceAll(",", ""));
}

function rotation(value: string | undefined, protocol: SmartReading["protocol"]): number | null {
  if (value === undefined) return protocol === "nvme" ? 0 : null;
  if (/Solid State/i.test(value)) return 0;
  const m = /^(\d+) rpm$/.exec(value);
  return m?.[1] === undefined ? null : Number(m[1]);
}

function lastLine(lines: string[]): { line: number; excerpt: string } {
  let i = lines.length - 1;
  while (i > 0 && (lines[i] ?? "").trim() === "") i--;
  return { line: i + 1, excerpt: lines[i] ?? "" };
}
