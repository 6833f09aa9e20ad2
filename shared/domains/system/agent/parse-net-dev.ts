import { type ItemsParse, parseEachItem } from "@infrastructor/lib/collect/parse-items.ts";
import { parseFailed } from "./parse-fields.ts";
import { KeyLedger, type ProcLine, procLines } from "./proc-lines.ts";

const SOURCE = "/proc/net/dev";

/** Cumulative counters of one network interface. */
export interface NetCounters {
  interface: string;
  rx_bytes: number;
  rx_packets: number;
  rx_errors: number;
  rx_drops: number;
  tx_bytes: number;
  tx_packets: number;
  tx_errors: number;
  tx_drops: number;
}

/** dev_seq_show()'s two header lines (net/core/net-procfs.c), whitespace aside. */
const HEADER = [/^Inter-\|\s*Receive\s*\|\s*Transmit$/, /^face\s*\|bytes\s.*\|bytes\s.*compressed$/];

/**
 * Parses /proc/net/dev: two header lines, then `name: 8 receive counters 8 transmit counters`. Interface
 * names cannot contain ':' (the kernel refuses them), so the first ':' ends the name; old kernels wrote
 * no space after it (`eth0:1234`). A row that cannot be read is an item error beside the others; the
 * file is refused when its header is missing or repeated, an interface is listed twice (two dumps run
 * together) or it is cut mid-line.
 */
export function parseNetDev(text: string): ItemsParse<NetCounters> {
  const lines = procLines(text, SOURCE);
  HEADER.forEach((pattern, i) => {
    const at = lines[i];
    if (at === undefined || !pattern.test(at.text.trim())) {
      throw parseFailed(SOURCE, `header line ${i + 1} missing`, { line: at?.line ?? 1, excerpt: at?.text });
    }
  });
  const rows = lines.slice(HEADER.length);
  const names = new KeyLedger(SOURCE);
  for (const at of rows) {
    if (HEADER.some((pattern) => pattern.test(at.text.trim()))) {
      throw parseFailed(SOURCE, "the header appears again: two dumps run together?", {
        line: at.line,
        excerpt: at.text,
      });
    }
    const name = nameOf(at);
    if (name !== null) names.add(name, at);
  }
  return parseEachItem(
    rows.map((at) => ({ name: nameOf(at), line: at.line, text: at.text, input: at })),
    (item) => parseRow(item.input),
  );
}

function nameOf(at: ProcLine): string | null {
  const line = at.text.trim();
  const colon = line.indexOf(":");
  return colon > 0 ? line.slice(0, colon) : null;
}

function parseRow(at: ProcLine): NetCounters {
  const where = { line: at.line, excerpt: at.text };
  const line = at.text.trim();
  const name = nameOf(at);
  if (name === null || /\s/.test(name)) throw parseFailed(SOURCE, "row has no `name:`", where);
  const counters = line
    .slice(name.length + 1)
    .trim()
    .split(/\s+/);
  if (counters.length !== 16)
    throw parseFailed(SOURCE, `${name}: ${counters.length} counters, not 16`, where);
  // Columns not reported are checked too: one bad token means the line is not what we think it is.
  const values = counters.map((token, i) => {
    if (!/^\d+$/.test(token)) throw parseFailed(SOURCE, `${name}: column ${i + 1} is not a number`, where);
    return Number(token);
  });
  const value = (i: number): number => values[i] ?? 0; // the length was checked above
  return {
    interface: name,
    rx_bytes: value(0),
    rx_packets: value(1),
    rx_errors: value(2),
    rx_drops: value(3),
    tx_bytes: value(8),
    tx_packets: value(9),
    tx_errors: value(10),
    tx_drops: value(11),
  };
}
