import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import type { ZfsArc } from "../schema.ts";

const SOURCE = "/proc/spl/kstat/zfs/arcstats";

/**
 * Parses the arcstats kstat: a header of 7 numbers, the `name type data` line, then one statistic per
 * line (type 4 unsigned, 3 signed). Values past 2^53 (a few sentinel fields) are dropped, never rounded.
 */
export function parseArcstats(text: string): ZfsArc {
  const lines = text.split("\n");
  if (!/^\d+( \d+| 0x[0-9a-f]+){6}$/.test(lines[0]?.trim() ?? "")) {
    throw parseFailed(SOURCE, "expected the kstat header (7 numbers)", { line: 1, excerpt: lines[0] ?? "" });
  }
  if (!/^name\s+type\s+data$/.test(lines[1]?.trim() ?? "")) {
    throw parseFailed(SOURCE, "expected `name type data`", { line: 2, excerpt: lines[1] ?? "" });
  }
  const stats = new Map<string, number>();
  for (let i = 2; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.trim() === "") continue;
    const m = /^(\w+)\s+(\d+)\s+(-?\d+)$/.exec(line.trim());
    if (!m?.[1] || m[3] === undefined) {
      throw parseFailed(SOURCE, "expected `<name> <type> <value>`", { line: i + 1, excerpt: line });
    }
    const value = Number(m[3]);
    if (Number.isSafeInteger(value) && value >= 0) stats.set(m[1], value);
  }
  const required = (name: string): number => {
    const value = stats.get(name);
    if (value === undefined) throw parseFailed(SOURCE, `no ${name} statistic`);
    return value;
  };
  const optional = (name: string): number | null => stats.get(name) ?? null;
  return {
    size_bytes: required("size"),
    target_bytes: required("c"),
    min_bytes: required("c_min"),
    max_bytes: required("c_max"),
    hits: required("hits"),
    misses: required("misses"),
    mru_size_bytes: optional("mru_size"),
    mfu_size_bytes: optional("mfu_size"),
    l2_hits: optional("l2_hits"),
    l2_misses: optional("l2_misses"),
    l2_size_bytes: optional("l2_size"),
  };
}
