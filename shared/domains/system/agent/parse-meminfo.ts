import type { Memory } from "../schema.ts";
import { parseFailed, toCount } from "./parse-fields.ts";
import { KeyLedger, procLines } from "./proc-lines.ts";

const SOURCE = "/proc/meminfo";
const REQUIRED = ["MemTotal", "MemFree", "Buffers", "Cached", "SwapTotal", "SwapFree"] as const;

/**
 * Parses /proc/meminfo into bytes. `used` is MemTotal - MemAvailable, the kernel's own estimate of what
 * cannot be reclaimed. Kernels before 3.14 have no MemAvailable; there the estimate is what `free` did
 * then: MemTotal - MemFree - Buffers - Cached - SReclaimable (SReclaimable exists since 2.6.19, so it
 * is required then). A key printed twice (two dumps run together) or a file cut mid-line is refused.
 */
export function parseMeminfo(text: string): Memory {
  const kb = parseFields(text);
  // Without MemAvailable the estimate needs SReclaimable: a file cut before it would overstate `used`.
  const needed = kb.has("MemAvailable") ? REQUIRED : [...REQUIRED, "SReclaimable"];
  const missing = needed.filter((key) => !kb.has(key));
  if (missing.length > 0) {
    throw parseFailed(SOURCE, `${missing.join(", ")} missing: the file ends early or is not /proc/meminfo`);
  }
  const field = (key: string): number => (kb.get(key) ?? 0) * 1024;
  const total = field("MemTotal");
  const free = field("MemFree");
  const buffers = field("Buffers");
  const cached = field("Cached");
  const available = kb.has("MemAvailable")
    ? field("MemAvailable")
    : Math.min(total, free + buffers + cached + field("SReclaimable"));
  return {
    total_bytes: total,
    // Clamped: the counters are read at slightly different instants, and MemAvailable is an estimate.
    used_bytes: Math.max(0, total - available),
    available_bytes: available,
    free_bytes: free,
    buffers_bytes: buffers,
    cached_bytes: cached,
    swap_total_bytes: field("SwapTotal"),
    swap_used_bytes: Math.max(0, field("SwapTotal") - field("SwapFree")),
  };
}

/** The fields read here; the kernel prints each with ` kB`, so one without it was cut mid-field. */
const SIZES = new Set<string>([...REQUIRED, "MemAvailable", "SReclaimable"]);

/** Every `Key: value [kB]` line; values without a unit (HugePages_Total, a page count) are skipped. */
function parseFields(text: string): Map<string, number> {
  const kb = new Map<string, number>();
  const keys = new KeyLedger(SOURCE);
  for (const at of procLines(text, SOURCE)) {
    const where = { line: at.line, excerpt: at.text };
    const match = /^([A-Za-z0-9_()]+):\s+(\S+)(?:\s+(\S+))?$/.exec(at.text.trim());
    if (match === null) throw parseFailed(SOURCE, "line is not `Key: value [kB]`", where);
    const [, key = "", value, unit] = match;
    keys.add(key, at);
    if (!/^\d+$/.test(value ?? "")) throw parseFailed(SOURCE, `${key} is not a non-negative integer`, where);
    const number = toCount(value, SOURCE, key);
    if (unit === undefined && SIZES.has(key)) throw parseFailed(SOURCE, `${key} has no kB unit: cut?`, where);
    if (unit === "kB") kb.set(key, number);
    else if (unit !== undefined) throw parseFailed(SOURCE, `unknown unit ${unit}`, where);
  }
  return kb;
}
