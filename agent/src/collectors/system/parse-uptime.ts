import { parseFailed, toDecimal } from "./parse-fields.ts";
import { procLines } from "./proc-lines.ts";

const SOURCE = "/proc/uptime";

/**
 * Parses /proc/uptime: `358.67 681.01` (seconds since boot, idle seconds summed over CPUs). Exactly one
 * whole line of two numbers: a second line or a cut one is refused.
 */
export function parseUptime(text: string): number {
  const [first, second] = procLines(text, SOURCE);
  if (first === undefined) throw parseFailed(SOURCE, "empty input", { line: 1 });
  if (second !== undefined) {
    throw parseFailed(SOURCE, "more than one line: two reads run together?", {
      line: second.line,
      excerpt: second.text,
    });
  }
  const where = { line: first.line, excerpt: first.text };
  if (first.tokens.length !== 2) throw parseFailed(SOURCE, "line is not `uptime idle`", where);
  try {
    toDecimal(first.tokens[1], SOURCE, "idle");
    return toDecimal(first.tokens[0], SOURCE, "uptime");
  } catch {
    throw parseFailed(SOURCE, "a field is not a number", where);
  }
}
