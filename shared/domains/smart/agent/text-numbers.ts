import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import { TEXT_SOURCE } from "./parse-text-attributes.ts";

/** A `Key: value` line of the text output, keyed by its lower-cased, space-collapsed key. */
export type TextValues = Map<string, { value: string; lineNo: number; line: string }>;

/**
 * An integer as smartctl prints it under any locale: `6038`, `6,038`, `6.038`, `6 038` (and the
 * no-break spaces of some locales); smartctl groups thousands with the locale's separator (-a output of
 * a de_DE host reads "2.000.398.934.016 bytes").
 */
const GROUPED = "\\d{1,3}(?:[,.'\\u00a0\\u202f ]\\d{3})+|\\d+";
const NUMBER = new RegExp(`^(-?(?:${GROUPED}))\\s*(%|C|Celsius)?(\\s|$)`);
const CAPACITY = new RegExp(`^(${GROUPED})(?:\\s+bytes)?\\s*\\[`);

export function groupedInteger(text: string): number {
  return Number(text.replace(/[^\d-]/g, ""));
}

/** "6,038", "38 Celsius", "100%", "36 C": the number, or PARSE_FAILED naming the line. */
export function optionalNumber(values: TextValues, key: string): number | null {
  const entry = values.get(key);
  if (entry === undefined) return null;
  const m = NUMBER.exec(entry.value);
  if (m?.[1] === undefined) {
    throw parseFailed(TEXT_SOURCE, `${key} is not a number`, { line: entry.lineNo, excerpt: entry.line });
  }
  return groupedInteger(m[1]);
}

/** A temperature line; `<not available>` (smartctl's word for 255) is no reading, not an error. */
export function optionalTemperature(values: TextValues, key: string): number | null {
  if (/^<not available>/i.test(values.get(key)?.value ?? "")) return null;
  return optionalNumber(values, key);
}

/** "2,000,398,934,016 bytes [2.00 TB]" in any locale's grouping; null for anything else. */
export function capacity(value: string | undefined): number | null {
  const m = CAPACITY.exec(value ?? "");
  return m?.[1] === undefined ? null : groupedInteger(m[1]);
}
