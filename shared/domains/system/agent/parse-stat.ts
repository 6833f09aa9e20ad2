import { parseFailed, toCount } from "./parse-fields.ts";
import { KeyLedger, type ProcLine, procLines } from "./proc-lines.ts";

const SOURCE = "/proc/stat";

/**
 * Jiffies per CPU mode from the aggregate `cpu` line. Guest time is already included in user and nice
 * (the kernel accounts it twice), so it is not kept: adding it would count it twice.
 */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
}

export interface ProcStat {
  cpu: CpuTimes;
  /** Number of `cpuN` lines: online CPUs. */
  cores: number;
  procs_running: number;
  procs_blocked: number;
  /** Boot time, seconds since the epoch. */
  btime: number;
}

const MODES = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"] as const;

/**
 * Every line show_stat() (fs/proc/stat.c) has printed since 2.6.31, in its order. `softirq` is the last
 * line: a file cut at a line boundary lacks it, so a short file is refused instead of read with CPUs
 * or counters missing.
 */
const REQUIRED = ["intr", "ctxt", "btime", "processes", "procs_running", "procs_blocked", "softirq"];

/**
 * Parses /proc/stat, refusing a file that is not one whole dump: a key printed twice (two dumps run
 * together), a cut (no final newline, or a required line missing), per-CPU lines that are not the
 * contiguous block after `cpu`, or a CPU line with another field count than the aggregate. Kernels
 * before 2.6.11 print fewer modes; the missing ones did not exist, so 0.
 */
export function parseStat(text: string): ProcStat {
  const keys = new KeyLedger(SOURCE);
  let cpu: CpuTimes | undefined;
  let cpuFields = 0;
  let cores = 0;
  let cpuBlockOver = false;
  const counts = new Map<string, number>();
  for (const at of procLines(text, SOURCE)) {
    const [key = "", ...values] = at.tokens;
    keys.add(key, at);
    const isCore = /^cpu\d+$/.test(key);
    if (key === "cpu") {
      if (cores > 0 || cpuBlockOver) throw parseFailed(SOURCE, "`cpu` is not the first line", where(at));
      cpu = parseCpuLine(values, at);
      cpuFields = values.length;
    } else if (isCore) {
      if (cpu === undefined || cpuBlockOver) {
        throw parseFailed(SOURCE, `${key} is outside the per-CPU block after \`cpu\``, where(at));
      }
      parseCpuLine(values, at);
      if (values.length !== cpuFields) {
        throw parseFailed(SOURCE, `${key} has ${values.length} fields, \`cpu\` has ${cpuFields}`, where(at));
      }
      cores += 1;
    } else {
      cpuBlockOver = true;
      if (REQUIRED.includes(key)) counts.set(key, toCountAt(values[0], `${key}`, at));
    }
  }
  if (cpu === undefined) throw parseFailed(SOURCE, "no aggregate `cpu` line", { line: 1 });
  if (cores === 0) throw parseFailed(SOURCE, "no per-CPU `cpuN` lines", { line: 2 });
  const missing = REQUIRED.filter((key) => !keys.has(key));
  if (missing.length > 0) {
    throw parseFailed(SOURCE, `${missing.join(", ")} missing: the file ends early or is not /proc/stat`);
  }
  return {
    cpu,
    cores,
    procs_running: counts.get("procs_running") ?? 0,
    procs_blocked: counts.get("procs_blocked") ?? 0,
    btime: counts.get("btime") ?? 0,
  };
}

function parseCpuLine(values: string[], at: ProcLine): CpuTimes {
  // user nice system idle exist on every kernel that has /proc/stat.
  if (values.length < 4) throw parseFailed(SOURCE, "cpu line has fewer than 4 fields", where(at));
  const times = { user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0 };
  values.forEach((value, i) => {
    const count = toCountAt(value, `${at.tokens[0]} field ${i + 1}`, at);
    const mode = MODES[i];
    if (mode !== undefined) times[mode] = count;
  });
  return times;
}

function toCountAt(token: string | undefined, what: string, at: ProcLine): number {
  try {
    return toCount(token, SOURCE, what);
  } catch {
    throw parseFailed(SOURCE, `${what} is not a non-negative integer`, where(at));
  }
}

function where(at: ProcLine): { line: number; excerpt: string } {
  return { line: at.line, excerpt: at.text };
}
