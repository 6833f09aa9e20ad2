import type { Provenance } from "@infrastructor/mcp/answer/provenance.ts";
import { diskOf } from "@infrastructor/mcp/tools/fleet/drive-match.ts";
import { finding, type JudgedFinding } from "@infrastructor/mcp/tools/fleet/finding.ts";

/** A stored log line the SQL prefilter (LOG_PREFILTER) let through. */
export interface LogLine {
  time: Date;
  message: string;
}

/**
 * What PostgreSQL keeps of the window's log lines before the patterns below look at them (a POSIX
 * regular expression, case-sensitive as the kernel prints these messages).
 */
export const LOG_PREFILTER =
  "[Oo]ut of memory|oom-kill:|oom_reaper|I/O error|failed command|EXT4-fs error|nvme.*timeout";

/**
 * Words every line LOG_PREFILTER looks for contains, as PostgreSQL's 'simple' text search splits it:
 * the logs table's text index (logs_message_fts_idx) finds those lines without the regular expression
 * reading every line of the window (measured: 500,000 lines, 2 to 3.7 s with the expression alone).
 */
export const LOG_WORDS = "memory | oom | error | command | timeout";

/** The kernel's OOM lines, each naming the victim: mm/oom_kill.c __oom_kill_process, dump_oom_victim, oom_reap_task_mm. */
const OOM: readonly RegExp[] = [
  /(?:Out of memory|Memory cgroup out of memory): Kill(?:ed)? process (?<pid>\d+) \((?<name>[^)]*)\)/,
  /oom-kill:.*\btask=(?<name>[^,]*),pid=(?<pid>\d+)/,
  /oom_reaper: reaped process (?<pid>\d+) \((?<name>[^)]*)\)/,
];

/** Kernel I/O error lines and the device each names (block/blk-core.c, fs/buffer.c, libata, ext4, xfs, nvme). */
const IO: readonly { kind: string; re: RegExp }[] = [
  { kind: "I/O error", re: /I\/O error, dev (?<dev>[\w.-]+), sector/ },
  { kind: "buffer I/O error", re: /Buffer I\/O error on dev (?<dev>[\w.-]+)/ },
  { kind: "ATA failed command", re: /\b(?<dev>ata\d+)(?:\.\d+)?: .*failed command/ },
  { kind: "EXT4-fs error", re: /EXT4-fs error \(device (?<dev>[\w.-]+)\)/ },
  { kind: "XFS metadata I/O error", re: /XFS \((?<dev>[\w.-]+)\).*metadata I\/O error/ },
  { kind: "NVMe timeout", re: /\b(?<dev>nvme\d+)(?:n\d+)?\b.*\btimeout/ },
];

/**
 * OOM kills (one finding per host: how many processes, which) and kernel I/O errors (one per device:
 * how many lines of which kinds). An OOM kill prints several lines about one victim; they count once.
 */
export function kernelLogFindings(
  p: Provenance,
  lines: readonly LogLine[],
  windowH: number,
): JudgedFinding[] {
  const out: JudgedFinding[] = [];
  const victims = new Map<string, { name: string; at: Date }>();
  const io = new Map<
    string,
    { kinds: Map<string, number>; count: number; first: Date; last: Date; line: string }
  >();
  for (const l of lines) {
    const oom = OOM.map((re) => l.message.match(re)?.groups).find((g) => g !== undefined);
    if (oom?.pid !== undefined) {
      const name = oom.name ?? "?";
      // A pid is reused over days; within one kill its lines share pid and name.
      victims.set(`${oom.pid}/${name}`, { name, at: l.time });
      continue;
    }
    for (const { kind, re } of IO) {
      const dev = l.message.match(re)?.groups?.dev;
      if (dev === undefined) continue;
      const disk = diskOf(dev);
      const entry = io.get(disk) ?? {
        kinds: new Map(),
        count: 0,
        first: l.time,
        last: l.time,
        line: l.message,
      };
      entry.kinds.set(kind, (entry.kinds.get(kind) ?? 0) + 1);
      entry.count += 1;
      if (l.time < entry.first) entry.first = l.time;
      if (l.time >= entry.last) {
        entry.last = l.time;
        entry.line = l.message;
      }
      io.set(disk, entry);
      break;
    }
  }
  if (victims.size > 0) {
    const byName = new Map<string, number>();
    for (const v of victims.values()) byName.set(v.name, (byName.get(v.name) ?? 0) + 1);
    const names = [...byName].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const last = [...victims.values()].reduce((a, b) => (b.at > a.at ? b : a));
    out.push(
      finding(
        p,
        "oom_kill",
        "warning",
        `OOM killer killed ${victims.size} processes: ${names.map(([n, c]) => `${n}${c > 1 ? ` x${c}` : ""}`).join(", ")}`,
        `${victims.size} OOM kills in the last ${windowH} h, the last at ${last.at.toISOString()} (${last.name})`,
        victims.size,
      ),
    );
  }
  for (const [disk, e] of [...io].sort((a, b) => b[1].count - a[1].count)) {
    // Most frequent first, then in IO's order: the same lines read in any order say the same.
    const rank = (k: string): number => IO.findIndex((x) => x.kind === k);
    const kinds = [...e.kinds]
      .sort((a, b) => b[1] - a[1] || rank(a[0]) - rank(b[0]))
      .map(([k, n]) => `${n} ${k}`)
      .join(", ");
    out.push(
      finding(
        p,
        "kernel_io_errors",
        "warning",
        `kernel I/O errors on ${disk}: ${e.count}`,
        `${kinds} in the last ${windowH} h (${e.first.toISOString()} to ${e.last.toISOString()}); last: ${e.line.slice(0, 160)}`,
        e.count,
      ),
    );
  }
  return out;
}
