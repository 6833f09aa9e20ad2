import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import type { SmartAttribute } from "../schema.ts";
import { leadingInteger, whenFailed } from "./ata-counters.ts";

export const TEXT_SOURCE = "smartctl -iHA";

/** `-f brief` rows: `  5 Reallocated_Sector_Ct   PO--CK   100   100   010    -    0` */
const BRIEF_ROW =
  /^\s*(\d{1,3})\s+(\S+)\s+([-POSRCK]{6})\s+(\d{1,3}|---)\s+(\d{1,3}|---)\s+(\d{1,3}|---)\s+(\S+)\s+(.*?)\s*$/;
/** Classic rows: `  5 Reallocated_Sector_Ct   0x0033   100   100   010    Pre-fail  Always       -       0` */
const OLD_ROW =
  /^\s*(\d{1,3})\s+(\S+)\s+(0x[0-9a-fA-F]{4})\s+(\d{1,3}|---)\s+(\d{1,3}|---)\s+(\d{1,3}|---)\s+(Pre-fail|Old_age)\s+(Always|Offline)\s+(\S+)\s+(.*?)\s*$/;

/** The header line that starts the table; the rows follow until a blank line or the flag legend. */
export function isAttributeHeader(line: string): boolean {
  return /^ID#\s+ATTRIBUTE_NAME\s+FLAGS?\s+VALUE\s+WORST\s+THRESH/.test(line);
}

export function isAttributeTableEnd(line: string): boolean {
  return line.trim() === "" || /^\s+\|/.test(line);
}

/** One row; anything else inside the table is a PARSE_FAILED naming its line (1-based `lineNo`). */
export function parseAttributeRow(line: string, lineNo: number): SmartAttribute {
  const brief = BRIEF_ROW.exec(line);
  if (brief !== null) {
    const [, id, name, flags, value, worst, thresh, when, raw] = brief as unknown as string[];
    return attribute(line, lineNo, {
      id,
      name,
      value,
      worst,
      thresh,
      when,
      raw,
      prefail: flags?.[0] === "P",
    });
  }
  const old = OLD_ROW.exec(line);
  if (old !== null) {
    const [, id, name, , value, worst, thresh, type, , when, raw] = old as unknown as string[];
    return attribute(line, lineNo, {
      id,
      name,
      value,
      worst,
      thresh,
      when,
      raw,
      prefail: type === "Pre-fail",
    });
  }
  throw parseFailed(TEXT_SOURCE, "not an attribute row", { line: lineNo, excerpt: line });
}

interface RowFields {
  id: string | undefined;
  name: string | undefined;
  value: string | undefined;
  worst: string | undefined;
  thresh: string | undefined;
  when: string | undefined;
  raw: string | undefined;
  prefail: boolean;
}

function attribute(line: string, lineNo: number, f: RowFields): SmartAttribute {
  const when = whenFailed(f.when ?? "");
  const id = Number(f.id);
  if (when === undefined || id > 255 || f.raw === undefined || f.raw === "") {
    throw parseFailed(TEXT_SOURCE, "attribute row with an unknown WHEN_FAILED, id or raw value", {
      line: lineNo,
      excerpt: line,
    });
  }
  const normalized = (v: string | undefined): number | null => {
    if (v === undefined || v === "---") return null;
    const n = Number(v);
    if (n > 255)
      throw parseFailed(TEXT_SOURCE, `normalized value ${v} above 255`, { line: lineNo, excerpt: line });
    return n;
  };
  return {
    id,
    name: (f.name ?? "").slice(0, 64),
    value: normalized(f.value),
    worst: normalized(f.worst),
    thresh: normalized(f.thresh),
    kind: f.prefail ? "prefail" : "old_age",
    when_failed: when,
    raw: leadingInteger(f.raw),
    raw_string: f.raw.slice(0, 128),
  };
}
