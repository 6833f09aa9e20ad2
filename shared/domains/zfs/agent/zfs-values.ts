import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import type { z } from "zod";

/**
 * Values as zpool and zfs print them. With -p they are exact integers; some lines (the scan summary,
 * counters of older releases) are always human-readable: `21K`, `1.66T`, `0B`, in powers of 1024.
 */
const SUFFIX_POWER: Record<string, number> = { B: 0, K: 1, M: 2, G: 3, T: 4, P: 5, E: 6 };

export interface Where {
  source: string;
  line: number;
  text: string;
}

export function fail(where: Where, message: string): Error {
  return parseFailed(where.source, message, { line: where.line, excerpt: where.text });
}

/** `123`, `0B`, `21K`, `1.66T`, `1.5MiB` -> bytes (rounded: human-readable sizes are approximate). */
export function toBytes(token: string | undefined, what: string, where: Where): number {
  const m = token === undefined ? null : /^(\d+(?:\.\d+)?)(?:([BKMGTPE])(?:i?B)?)?$/.exec(token);
  if (!m?.[1]) throw fail(where, `${what} is not a size: ${JSON.stringify(token ?? "")}`);
  const power = m[2] === undefined ? 0 : (SUFFIX_POWER[m[2]] ?? 0);
  const value = Math.round(Number(m[1]) * 1024 ** power);
  if (!Number.isSafeInteger(value)) throw fail(where, `${what} is out of range: ${token}`);
  return value;
}

/** A human-readable size as scan lines print it (`21K`, `1.50G`, `0B`), or null if it is not one. */
export function sizeOrNull(token: string | undefined): number | null {
  const m = token === undefined ? null : /^(\d+(?:\.\d+)?)(?:([BKMGTPE])(?:i?B)?)?$/.exec(token);
  if (!m?.[1]) return null;
  const value = Math.round(Number(m[1]) * 1024 ** (m[2] === undefined ? 0 : (SUFFIX_POWER[m[2]] ?? 0)));
  return Number.isSafeInteger(value) ? value : null;
}

/** An error counter: exact with -p, `1.2K` style without. */
export function toCount(token: string | undefined, what: string, where: Where): number {
  const m = token === undefined ? null : /^(\d+(?:\.\d+)?)([KMGTPE])?$/.exec(token);
  if (!m?.[1]) throw fail(where, `${what} is not a count: ${JSON.stringify(token ?? "")}`);
  const value = Math.round(Number(m[1]) * 1000 ** (m[2] === undefined ? 0 : (SUFFIX_POWER[m[2]] ?? 0)));
  if (!Number.isSafeInteger(value)) throw fail(where, `${what} is out of range: ${token}`);
  return value;
}

/** `-` (not applicable) -> null, else an exact byte count. */
export function toOptionalBytes(token: string | undefined, what: string, where: Where): number | null {
  return token === "-" ? null : toBytes(token, what, where);
}

/** `8`, `8%` or `-` -> percent or null. */
export function toOptionalPct(token: string | undefined, what: string, where: Where): number | null {
  if (token === "-") return null;
  const m = token === undefined ? null : /^(\d+(?:\.\d+)?)%?$/.exec(token);
  const value = Number(m?.[1]);
  if (!m || value > 100) throw fail(where, `${what} is not a percentage: ${JSON.stringify(token ?? "")}`);
  return value;
}

/** `1.00`, `1.83x` or `-` (an unavailable pool) -> ratio or null. */
export function toOptionalRatio(token: string | undefined, what: string, where: Where): number | null {
  return token === "-" ? null : toRatio(token, what, where);
}

/** `1.00` or `1.83x`. */
export function toRatio(token: string | undefined, what: string, where: Where): number {
  const m = token === undefined ? null : /^(\d+(?:\.\d+)?)x?$/.exec(token);
  if (!m) throw fail(where, `${what} is not a ratio: ${JSON.stringify(token ?? "")}`);
  return Number(m[1]);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** ctime(3) style `Sun Feb  4 20:54:25 2024` -> `2024-02-04T20:54:25` (the host's local time, no zone). */
export function toLocalTime(text: string, where: Where): string {
  const when = localTimeOrNull(text);
  if (when === null) throw fail(where, `not a date: ${JSON.stringify(text)}`);
  return when;
}

/** toLocalTime, or null when the text is not a ctime(3) date. */
export function localTimeOrNull(text: string | undefined): string | null {
  const m = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}:\d{2}:\d{2}) (\d{4})$/.exec(
    (text ?? "").trim(),
  );
  const month = m ? MONTHS.indexOf(m[1] ?? "") + 1 : 0;
  if (!m || month === 0) return null;
  return `${m[4]}-${String(month).padStart(2, "0")}-${(m[2] ?? "").padStart(2, "0")}T${m[3]}`;
}

/**
 * An item as its schema admits it, or PARSE_FAILED for that item alone (a name or note longer than the
 * schema keeps): one odd item must never fail the whole sample's schema check and lose every source.
 */
export function fitting<T>(schema: z.ZodType<T>, value: T, where: Where): T {
  const checked = schema.safeParse(value);
  if (checked.success) return checked.data;
  const issue = checked.error.issues[0];
  throw fail(
    where,
    `does not fit the schema: ${issue?.path.join(".") || "value"}: ${issue?.message ?? "invalid"}`,
  );
}
