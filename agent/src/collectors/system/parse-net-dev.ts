import { parseFailed, toCount } from "./parse-fields.ts";

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

/**
 * Parses /proc/net/dev: two header lines, then `name: 8 receive counters 8 transmit counters`. Interface
 * names cannot contain ':' (the kernel refuses them), so the first ':' ends the name; old kernels wrote
 * no space after it (`eth0:1234`).
 */
export function parseNetDev(text: string): NetCounters[] {
  const interfaces: NetCounters[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.includes("|")) continue;
    const colon = line.indexOf(":");
    if (colon <= 0) throw parseFailed(SOURCE, "line has no `name:`", line);
    const name = line.slice(0, colon);
    const counters = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/);
    if (counters.length < 16) throw parseFailed(SOURCE, `${name}: fewer than 16 counters`, line);
    // Columns not reported are checked too: one bad token means the line is not what we think it is.
    const values = counters.map((token, i) => toCount(token, SOURCE, `${name} column ${i + 1}`));
    const at = (i: number): number => values[i] ?? 0; // the length was checked above
    interfaces.push({
      interface: name,
      rx_bytes: at(0),
      rx_packets: at(1),
      rx_errors: at(2),
      rx_drops: at(3),
      tx_bytes: at(8),
      tx_packets: at(9),
      tx_errors: at(10),
      tx_drops: at(11),
    });
  }
  return interfaces;
}
