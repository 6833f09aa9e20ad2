import { parseFailed, toDecimal } from "./parse-fields.ts";
import { procSingleLine } from "./proc-lines.ts";

const SOURCE = "/proc/uptime";

/**
 * Parses /proc/uptime: `358.67 681.01` (seconds since boot, idle seconds summed over CPUs). Exactly one
 * whole line of two numbers: a second line or a cut one is refused.
 */
export function parseUptime(text: string): number {
  const first = procSingleLine(text, SOURCE);
  const where = { line: first.line, excerpt: first.text };
  if (first.tokens.length !== 2) throw parseFailed(SOURCE, "line is not `uptime idle`", where);
  try {
    toDecimal(first.tokens[1], SOURCE, "idle");
    return toDecimal(first.tokens[0], SOURCE, "uptime");
  } catch {
    throw parseFailed(SOURCE, "a field is not a number", where);
  }
}
