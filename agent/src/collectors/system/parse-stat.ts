import { parseFailed, toCount, tokenLines } from "./parse-fields.ts";

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
}

const MODES = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"] as const;

/** Parses /proc/stat. Kernels before 2.6.11 print fewer modes; the missing ones did not exist, so 0. */
export function parseStat(text: string): ProcStat {
  let cpu: CpuTimes | undefined;
  let cores = 0;
  let running: number | undefined;
  let blocked: number | undefined;
  for (const [key, ...values] of tokenLines(text)) {
    if (key === "cpu") cpu = parseCpuLine(values);
    else if (key !== undefined && /^cpu\d+$/.test(key)) cores += 1;
    else if (key === "procs_running") running = toCount(values[0], SOURCE, "procs_running");
    else if (key === "procs_blocked") blocked = toCount(values[0], SOURCE, "procs_blocked");
  }
  if (cpu === undefined) throw parseFailed(SOURCE, "no aggregate `cpu` line", text);
  if (cores === 0) throw parseFailed(SOURCE, "no per-CPU `cpuN` lines", text);
  if (running === undefined || blocked === undefined) {
    throw parseFailed(SOURCE, "procs_running or procs_blocked missing", text);
  }
  return { cpu, cores, procs_running: running, procs_blocked: blocked };
}

function parseCpuLine(values: string[]): CpuTimes {
  // user nice system idle exist on every kernel that has /proc/stat.
  if (values.length < 4) throw parseFailed(SOURCE, "cpu line has fewer than 4 fields", values.join(" "));
  const times = { user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0 };
  MODES.forEach((mode, i) => {
    if (i < values.length) times[mode] = toCount(values[i], SOURCE, `cpu ${mode}`);
  });
  return times;
}
