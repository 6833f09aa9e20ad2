import type { SmartExitFlag, SmartReading, SmartVerdict } from "../schema.ts";

export interface Assessment {
  verdict: SmartVerdict;
  reasons: string[];
}

/** NVMe critical warning bits (NVMe base spec, SMART / Health Information log, byte 0). */
const NVME_SPARE = 0x01;
const NVME_TEMPERATURE = 0x02;
const NVME_DEGRADED = 0x04;
const NVME_READ_ONLY = 0x08;
const NVME_BACKUP_FAILED = 0x10;

/** Worn past this share of its rated endurance, an NVMe drive is worth a look. */
const NVME_WEAR_WARNING_PCT = 90;

/**
 * Judges one reading on its own: what the drive and smartctl say now. Trends ("8 -> 24 in 7 days")
 * need history and are added by the collector (shared/src/smart-trend.ts).
 */
export function assess(r: SmartReading, flags: readonly SmartExitFlag[]): Assessment {
  const failing: string[] = [];
  const warning: string[] = [];
  const has = (f: SmartExitFlag): boolean => flags.includes(f);

  if (r.health === "failed") failing.push("SMART health self-assessment FAILED");
  else if (has("disk_failing")) failing.push("smartctl: disk failing");
  const now = r.attributes.filter((a) => a.when_failed === "now" && a.kind === "prefail");
  for (const a of now)
    failing.push(`prefail attribute ${a.name} at or below threshold (${a.value} <= ${a.thresh})`);
  if (now.length === 0 && has("prefail_at_threshold"))
    failing.push("smartctl: prefail attribute at or below threshold");
  const past = r.attributes.filter((a) => a.when_failed === "past");
  for (const a of past) warning.push(`attribute ${a.name} was at or below threshold in the past`);
  if (past.length === 0 && has("attributes_past_threshold")) {
    warning.push("smartctl: an attribute was at or below threshold in the past");
  }

  const count = (n: number | null, what: string): void => {
    if (n !== null && n > 0) warning.push(`${n} ${what}`);
  };
  count(r.reallocated_sectors, "reallocated sectors");
  count(r.pending_sectors, "pending sectors");
  count(r.offline_uncorrectable, "offline uncorrectable sectors");
  count(r.crc_errors, "CRC errors (cable or connector)");
  count(r.grown_defects, "grown defects");
  count(r.uncorrected_errors ?? null, "uncorrected errors in the SCSI error counter log");

  if (r.nvme !== null) {
    const n = r.nvme;
    const cw = n.critical_warning;
    if (cw & NVME_SPARE || n.available_spare_pct < n.available_spare_threshold_pct) {
      failing.push(
        `NVMe spare below threshold (${n.available_spare_pct}% < ${n.available_spare_threshold_pct}%)`,
      );
    }
    if (cw & NVME_DEGRADED) failing.push("NVMe reliability degraded");
    if (cw & NVME_READ_ONLY) failing.push("NVMe media read-only");
    if (cw & NVME_BACKUP_FAILED) failing.push("NVMe volatile memory backup failed");
    if (cw & NVME_TEMPERATURE) warning.push("NVMe temperature warning");
    count(n.media_errors, "NVMe media errors");
    if (n.percentage_used >= NVME_WEAR_WARNING_PCT) warning.push(`NVMe endurance ${n.percentage_used}% used`);
  }

  if (
    r.temperature_c !== null &&
    r.temperature_limit_c !== null &&
    r.temperature_c >= r.temperature_limit_c
  ) {
    warning.push(`temperature ${r.temperature_c} C at or above the drive's limit ${r.temperature_limit_c} C`);
  }
  if (has("error_log_has_errors")) warning.push("the drive's error log has entries");
  if (has("self_test_log_has_errors")) warning.push("the self-test log has errors");
  // A device without SMART (a virtual disk, a RAID volume) fails the log queries by nature: smartctl
  // sets bit 2 for "Device does not support Self Test logging". That is expected, not a fault.
  if (has("smart_command_failed") && r.smart_support !== "unavailable") {
    warning.push("some SMART commands failed");
  }

  const verdict: SmartVerdict = failing.length > 0 ? "failing" : warning.length > 0 ? "warning" : "ok";
  return { verdict, reasons: [...failing, ...warning].map((s) => s.slice(0, 200)).slice(0, 32) };
}
