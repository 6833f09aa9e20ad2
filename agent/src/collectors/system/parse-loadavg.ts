import type { Load } from "@infrastructor/shared/schemas/system.ts";
import { parseFailed, toDecimal, tokenLines } from "./parse-fields.ts";

const SOURCE = "/proc/loadavg";

/** Parses /proc/loadavg: `0.21 0.37 0.39 1/719 19737` (1, 5, 15 min, runnable/total tasks, last pid). */
export function parseLoadavg(text: string): Load {
  const [fields, ...rest] = tokenLines(text);
  if (fields === undefined || fields.length !== 5 || rest.length > 0) {
    throw parseFailed(SOURCE, "expected one line of 5 fields", text);
  }
  return {
    load_1: toDecimal(fields[0], SOURCE, "1 min load"),
    load_5: toDecimal(fields[1], SOURCE, "5 min load"),
    load_15: toDecimal(fields[2], SOURCE, "15 min load"),
  };
}
