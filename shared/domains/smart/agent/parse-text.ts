import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import { itemError } from "@infrastructor/lib/collect/parse-items.ts";
import type { ItemError } from "@infrastructor/shared/schemas/source-result.ts";
import type { NvmeHealth, SmartAttribute, SmartReading } from "../schema.ts";
import { ataCounters } from "./ata-counters.ts";
import {
  isAttributeHeader,
  isAttributeTableEnd,
  parseAttributeRow,
  TEXT_SOURCE,
} from "./parse-text-attributes.ts";
import { type SmartctlResult, STANDBY_MESSAGE } from "./smartctl-result.ts";
import { plausibleTemperature } from "./temperature.ts";
import { capacity, optionalNumber, optionalTemperature, type TextValues } from "./text-numbers.ts";
import { scsiTextLogs } from "./text-scsi.ts";

/**
 * Plain `smartctl -i -H -A -n standby DEVICE` output (and -a / -x), for hosts with smartmontools < 7
 * (no --json). The info section is descriptive: a value in an unexpected shape there is left null. The
 * numbers that judge a drive (NVMe and SCSI health lines) must parse, or PARSE_FAILED names the line;
 * an unreadable attribute row is that row's ItemError and the other rows and the verdict stand.
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
  const base = { version, exit_status: null, device: null };
  if (lines.some((l) => STANDBY_MESSAGE.test(l))) return { kind: "standby", ...base };
  const refusal = refusalOf(lines);
  if (refusal !== null) return { kind: "no_data", ...base, message: refusal };

  const info = new Map<string, string>();
  const attributes: SmartAttribute[] = [];
  const attributeErrors: ItemError[] = [];
  const values: TextValues = new Map();
  let health: SmartReading["health"] | undefined;
  let smartSupport: SmartReading["smart_support"] = null;
  let inTable = false;
  let tableEnded = false;
  let section = "";
  lines.forEach((line, i) => {
    const lineNo = i + 1;
    if (inTable) {
      if (isAttributeTableEnd(line)) {
        inTable = false;
        tableEnded = true;
      } else {
        try {
          attributes.push(parseAttributeRow(line, lineNo));
        } catch (err) {
          const name = line.trim().split(/\s+/, 2).join(" ") || null;
          attributeErrors.push(itemError({ name, line: lineNo, text: line }, err));
        }
      }
      return;
    }
    const heading = /^=== START OF (.+) SECTION ===$/.exec(line.trim());
    if (heading !== null) section = heading[1] ?? "";
    else if (isAttributeHeader(line)) inTable = true;
    else {
      const h = /^SMART (?:overall-health self-assessment test result|Health Status):\s*(.+)$/.exec(line);
      if (h !== null) health = /^(PASSED|OK)$/.test(h[1]?.trim() ?? "") ? "passed" : "failed";
      const support = /^SMART support is:\s+(Available|Unavailable)\b/.exec(line);
      if (support !== null) smartSupport = support[1] === "Available" ? "available" : "unavailable";
      const kv = /^([^:]{1,60}?):\s+(.*?)\s*$/.exec(line);
      if (kv?.[1] !== undefined && kv[2] !== undefined) {
        const key = kv[1].trim().toLowerCase().replace(/\s+/g, " ");
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
  const reading = toReading(info, values, attributes, health, lines);
  const errors = [...attributeErrors, ...reading.errors];
  const withSupport = { ...reading.value, smart_support: smartSupport };
  return {
    kind: "reading",
    ...base,
    reading: errors.length === 0 ? withSupport : { ...withSupport, item_errors: errors.slice(0, 64) },
  };
}

/**
 * smartctl refused the device: the banner and its own words but no section ("Unknown USB bridge
 * [...]", "Unable to detect device type", "Smartctl open device: ... failed"), or an information
 * section cut short by a mandatory command that failed (">> Terminate command early due to bad
 * response to IEC mode page" / "A mandatory SMART command failed: exiting", a Hyper-V virtual disk).
 * Its own words, without the usage hint, are the drive's error.
 */
function refusalOf(lines: readonly string[]): string | null {
  const hasData = lines.some((l) => /^=== START OF (READ SMART DATA|SMART DATA) SECTION ===/.test(l.trim()));
  const aborted = lines.filter((l) => /^(>> |A mandatory SMART command failed)/.test(l.trim()));
  if (!hasData && aborted.length > 0)
    return aborted
      .map((l) => l.trim())
      .join("; ")
      .slice(0, 1000);
  if (
    lines.some(
      (l) => /^=== START OF /.test(l.trim()) || /^(Device Model|Model Number|Vendor|Product):/.test(l),
    )
  )
    return null;
  const said = lines
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !/^Copyright \(C\)/.test(l) && !/^Use smartctl -h/.test(l));
  return said.length === 0 ? null : said.join("; ").slice(0, 1000);
}

function toReading(
  info: Map<string, string>,
  values: TextValues,
  attributes: SmartAttribute[],
  health: SmartReading["health"] | undefined,
  lines: readonly string[],
): { value: SmartReading; errors: ItemError[] } {
  const protocol: SmartReading["protocol"] = info.has("model number")
    ? "nvme"
    : info.has("product") || info.has("transport protocol")
      ? "scsi"
      : "ata";
  const ata = ataCounters(attributes);
  const errors: ItemError[] = [];
  let nvme: NvmeHealth | null = null;
  try {
    nvme = protocol === "nvme" ? nvmeHealth(values) : null;
  } catch (err) {
    // One unreadable number of the health log loses the log, not the drive's identity and verdict.
    errors.push(itemError({ name: "NVMe health log", line: null, text: "" }, err));
  }
  const scsi = protocol === "scsi" ? scsiTextLogs(lines) : null;
  const number = (key: string): number | null => optionalNumber(values, key);
  const scsiModel = [info.get("vendor"), info.get("product")].filter(Boolean).join(" ");
  const temperature =
    protocol === "nvme"
      ? plausibleTemperature(
          optionalTemperature(values, "temperature"),
          celsius(info.get("warning comp. temperature threshold")),
        )
      : protocol === "scsi"
        ? plausibleTemperature(
            optionalTemperature(values, "current drive temperature"),
            optionalTemperature(values, "drive trip temperature"),
          )
        : plausibleTemperature(ata.temperature_c, null);
  const value: SmartReading = {
    protocol,
    model: info.get("device model") ?? info.get("model number") ?? (scsiModel || null),
    serial: info.get("serial number") ?? null,
    firmware: info.get("firmware version") ?? info.get("revision") ?? null,
    capacity_bytes: capacity(
      info.get("user capacity") ?? info.get("total nvm capacity") ?? info.get("namespace 1 size/capacity"),
    ),
    rotation_rpm: rotation(info.get("rotation rate"), protocol),
    health: health ?? "unknown",
    ...temperature,
    power_on_hours:
      protocol === "nvme" ? number("power on hours") : (scsi?.power_on_hours ?? ata.power_on_hours),
    power_cycles: protocol === "nvme" ? number("power cycles") : ata.power_cycles,
    reallocated_sectors: ata.reallocated_sectors,
    pending_sectors: ata.pending_sectors,
    offline_uncorrectable: ata.offline_uncorrectable,
    crc_errors: ata.crc_errors,
    grown_defects: protocol === "scsi" ? number("elements in grown defect list") : null,
    nvme,
    attributes,
    start_stop_cycles: protocol === "scsi" ? number("accumulated start-stop cycles") : null,
    uncorrected_errors: scsi?.uncorrected_errors ?? null,
  };
  return { value, errors: [...errors, ...(scsi?.errors ?? [])] };
}

function nvmeHealth(values: TextValues): NvmeHealth | null {
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

/** "84 Celsius" in the NVMe info section; descriptive, so anything else is null. */
function celsius(value: string | undefined): number | null {
  const m = /^(\d{1,3}) Celsius$/.exec(value ?? "");
  return m?.[1] === undefined ? null : Number(m[1]);
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
