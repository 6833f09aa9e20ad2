import type { Ups } from "./schema.ts";

/**
 * NUT's status flags (docs/new-drivers.txt, "ups.status"), the one reading of `ups.status` the writer,
 * the MCP tool and the health rules share.
 */
export const STATUS_WORDS = {
  OL: "on line power",
  OB: "on battery",
  LB: "low battery",
  HB: "high battery",
  RB: "replace battery",
  CHRG: "charging",
  DISCHRG: "discharging",
  BYPASS: "on bypass",
  CAL: "calibrating",
  OFF: "offline",
  OVER: "overloaded",
  TRIM: "trimming voltage",
  BOOST: "boosting voltage",
  FSD: "forced shutdown",
  ALARM: "alarm",
} as const;

export type UpsFlag = keyof typeof STATUS_WORDS;

/** The flags of a status string; words NUT does not define are left out (they stay in `status`). */
export function statusFlags(status: string): Set<UpsFlag> {
  const known = status.split(/\s+/).filter((w): w is UpsFlag => Object.hasOwn(STATUS_WORDS, w));
  return new Set(known);
}

/** What is wrong with a UPS, most serious first: the health rules' facts and the tool's summary. */
export interface UpsProblem {
  rule: "ups_low_battery" | "ups_replace_battery" | "ups_overload" | "ups_on_battery";
  severity: "critical" | "warning";
  what: string;
}

export function upsProblems(ups: Pick<Ups, "name" | "status">): UpsProblem[] {
  const flags = statusFlags(ups.status);
  const out: UpsProblem[] = [];
  // Low battery: the load goes down within minutes (upsmon shuts hosts down on OB LB).
  if (flags.has("LB") || flags.has("FSD"))
    out.push({ rule: "ups_low_battery", severity: "critical", what: `UPS ${ups.name} low battery` });
  // A battery to replace will not carry the load when the power fails.
  if (flags.has("RB"))
    out.push({
      rule: "ups_replace_battery",
      severity: "critical",
      what: `UPS ${ups.name} battery to replace`,
    });
  // Overloaded: the UPS may drop its load, or cannot transfer it to battery.
  if (flags.has("OVER"))
    out.push({ rule: "ups_overload", severity: "critical", what: `UPS ${ups.name} overloaded` });
  if (flags.has("OB") && !flags.has("LB"))
    out.push({ rule: "ups_on_battery", severity: "warning", what: `UPS ${ups.name} on battery` });
  return out;
}
