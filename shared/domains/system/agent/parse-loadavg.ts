import type { Load } from "../schema.ts";
import { parseFailed, toDecimal } from "./parse-fields.ts";
import { procSingleLine } from "./proc-lines.ts";

const SOURCE = "/proc/loadavg";

/**
 * Parses /proc/loadavg: `0.21 0.37 0.39 1/719 19737` (1, 5, 15 min, runnable/total tasks, last pid).
 * Exactly one whole line: a second one (two reads run together) or a cut one is refused.
 */
export function parseLoadavg(text: string): Load {
  const first = procSingleLine(text, SOURCE);
  const where = { line: first.line, excerpt: first.text };
  const fields = first.tokens;
  if (fields.length !== 5 || !/^\d+\/\d+$/.test(fields[3] ?? "") || !/^\d+$/.test(fields[4] ?? "")) {
    throw parseFailed(SOURCE, "line is not `load1 load5 load15 running/total lastpid`", where);
  }
  try {
    return {
      load_1: toDecimal(fields[0], SOURCE, "1 min load"),
      load_5: toDecimal(fields[1], SOURCE, "5 min load"),
      load_15: toDecimal(fields[2], SOURCE, "15 min load"),
    };
  } catch {
    throw parseFailed(SOURCE, "a load average is not a number", where);
  }
}
