import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";

export { parseFailed };

/** A non-negative decimal integer (a kernel counter or size); anything else is a parse failure. */
export function toCount(token: string | undefined, source: string, what: string): number {
  if (token === undefined || !/^\d+$/.test(token)) {
    throw parseFailed(source, `${what} is not a non-negative integer: ${JSON.stringify(token ?? "")}`);
  }
  return Number(token);
}

/** A signed integer, e.g. millidegrees Celsius from hwmon, which can be below zero. */
export function toInteger(token: string | undefined, source: string, what: string): number {
  if (token === undefined || !/^-?\d+$/.test(token)) {
    throw parseFailed(source, `${what} is not an integer: ${JSON.stringify(token ?? "")}`);
  }
  return Number(token);
}

/** A non-negative decimal such as a load average or uptime seconds ("0.21", "358.67"). */
export function toDecimal(token: string | undefined, source: string, what: string): number {
  if (token === undefined || !/^\d+(\.\d+)?$/.test(token)) {
    throw parseFailed(source, `${what} is not a non-negative number: ${JSON.stringify(token ?? "")}`);
  }
  return Number(token);
}

/** Non-empty lines, each split on runs of whitespace. */
export function tokenLines(text: string): string[][] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .map((line) => line.split(/\s+/));
}
