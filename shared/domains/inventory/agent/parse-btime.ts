import { parseStat } from "@infrastructor/domains/system/agent/parse-stat.ts";

/**
 * The boot time from /proc/stat's `btime` line (seconds since the epoch), as an ISO timestamp. The whole
 * file is checked as the system domain checks it: a btime from two dumps run together, or from a file cut
 * short, is not trusted either.
 */
export function parseBtime(text: string): string {
  return new Date(parseStat(text).btime * 1000).toISOString();
}
