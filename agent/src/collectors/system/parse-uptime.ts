import { parseFailed, toDecimal, tokenLines } from "./parse-fields.ts";

const SOURCE = "/proc/uptime";

/** Parses /proc/uptime: `358.67 681.01` (seconds since boot, idle seconds summed over CPUs). */
export function parseUptime(text: string): number {
  const [fields, ...rest] = tokenLines(text);
  if (fields === undefined || fields.length !== 2 || rest.length > 0) {
    throw parseFailed(SOURCE, "expected one line of 2 fields", text);
  }
  return toDecimal(fields[0], SOURCE, "uptime");
}
