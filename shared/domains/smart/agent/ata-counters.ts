import type { SmartAttribute } from "../schema.ts";

/** The ATA attribute ids whose raw values are the normalized counters (smartmontools drivedb names). */
const REALLOCATED = 5;
const POWER_ON_HOURS = 9;
const POWER_CYCLES = 12;
const AIRFLOW_TEMPERATURE = 190;
const TEMPERATURE = 194;
const PENDING = 197;
const OFFLINE_UNCORRECTABLE = 198;
const CRC_ERRORS = 199;

export interface AtaCounters {
  reallocated_sectors: number | null;
  pending_sectors: number | null;
  offline_uncorrectable: number | null;
  crc_errors: number | null;
  power_on_hours: number | null;
  power_cycles: number | null;
  temperature_c: number | null;
}

/**
 * Counters from the attribute table. Raw values are read as smartctl prints them (`raw`, the leading
 * integer of the string) because the 48-bit raw number packs min/max into temperatures and
 * milliseconds into some hour counters.
 */
export function ataCounters(attributes: readonly SmartAttribute[]): AtaCounters {
  const raw = (id: number): number | null => attributes.find((a) => a.id === id)?.raw ?? null;
  return {
    reallocated_sectors: raw(REALLOCATED),
    pending_sectors: raw(PENDING),
    offline_uncorrectable: raw(OFFLINE_UNCORRECTABLE),
    crc_errors: raw(CRC_ERRORS),
    power_on_hours: raw(POWER_ON_HOURS),
    power_cycles: raw(POWER_CYCLES),
    temperature_c: raw(TEMPERATURE) ?? raw(AIRFLOW_TEMPERATURE),
  };
}

/** "25 (Min/Max 19/39)" -> 25, "6585h+55m+23.234s" -> 6585, "2765/13191816" -> 2765, "n/a" -> null. */
export function leadingInteger(rawString: string): number | null {
  const m = /^\s*(\d{1,15})/.exec(rawString);
  return m?.[1] === undefined ? null : Number(m[1]);
}

/** smartctl's WHEN_FAILED column: `-`/empty, `FAILING_NOW`/`now`, `In_the_past`/`past`. */
export function whenFailed(text: string): SmartAttribute["when_failed"] | undefined {
  const t = text.trim().toLowerCase();
  if (t === "" || t === "-") return "never";
  if (t === "now" || t === "failing_now") return "now";
  if (t === "past" || t === "in_the_past") return "past";
  return undefined;
}
