import { parseFailed } from "../../lib/parse-error.ts";

/** The boot time from /proc/stat's `btime` line (seconds since the epoch), as an ISO timestamp. */
export function parseBtime(text: string): string {
  const lines = text.split("\n");
  for (const [index, line] of lines.entries()) {
    if (!line.startsWith("btime")) continue;
    const match = /^btime\s+(\d{1,12})\s*$/.exec(line);
    if (match === null)
      throw parseFailed("/proc/stat", "btime is not a number", { line: index + 1, excerpt: line });
    return new Date(Number(match[1]) * 1000).toISOString();
  }
  throw parseFailed("/proc/stat", "no btime line");
}
