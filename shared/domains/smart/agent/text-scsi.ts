import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import { itemError } from "@infrastructor/lib/collect/parse-items.ts";
import type { ItemError } from "@infrastructor/shared/schemas/source-result.ts";
import { TEXT_SOURCE } from "./parse-text-attributes.ts";
import { groupedInteger } from "./text-numbers.ts";

export interface ScsiTextLogs {
  power_on_hours: number | null;
  uncorrected_errors: number | null;
  errors: ItemError[];
}

/** scsiprint.cpp: "Accumulated power on time, hours:minutes 12437:29 [746249 minutes]". */
const POWER_ON = /^\s*Accumulated power on time, hours:minutes\s+([\d,.' ]+):(\d{2})\b/;
/** Older Seagate/Hitachi factory log page: "number of hours powered up = 22364.87". */
const HOURS_POWERED_UP = /^\s*number of hours powered up\s*=\s*(\d+)/;
/** Error counter log rows: `read: fast delayed rewrites corrected invocations gigabytes uncorrected`. */
const COUNTER_ROW = /^(read|write|verify):\s+(.*)$/;

/**
 * The SCSI logs `-a` prints beyond `-A`: power-on time and the error counter log. An unreadable
 * counter row is that row's ItemError; the others still count.
 */
export function scsiTextLogs(lines: readonly string[]): ScsiTextLogs {
  let power_on_hours: number | null = null;
  let uncorrected: number | null = null;
  const errors: ItemError[] = [];
  let inCounters = false;
  lines.forEach((line, i) => {
    const power = POWER_ON.exec(line) ?? HOURS_POWERED_UP.exec(line);
    if (power?.[1] !== undefined && power_on_hours === null) power_on_hours = groupedInteger(power[1]);
    if (/^Error counter log:/i.test(line)) inCounters = true;
    else if (inCounters && line.trim() === "") inCounters = false;
    const row = inCounters ? COUNTER_ROW.exec(line.trim()) : null;
    if (row?.[1] === undefined) return;
    const last = /(\d+)$/.exec(row[2] ?? "");
    const columns = (row[2] ?? "").trim().split(/\s+/);
    if (last?.[1] === undefined || columns.length !== 7) {
      const err = parseFailed(TEXT_SOURCE, `error counter row ${row[1]}: not 7 columns`, {
        line: i + 1,
        excerpt: line,
      });
      errors.push(itemError({ name: `error counter log ${row[1]}`, line: i + 1, text: line }, err));
      return;
    }
    uncorrected = (uncorrected ?? 0) + Number(last[1]);
  });
  return { power_on_hours, uncorrected_errors: uncorrected, errors };
}
