import { capList } from "@infrastructor/mcp/answer/truncate.ts";
import { formatBytes, percent, round } from "@infrastructor/mcp/tools/common/domain-data.ts";
import { z } from "zod";
import type { SystemData } from "../../schema.ts";

/** At most this many mounts, disks, interfaces and sensors in one answer (worst or busiest first). */
const MAX_ITEMS = 30;

export const LatestSampleSchema = z.object({
  cpu_pct: z.number().nullable().describe("null in an agent's first sample (rates need two)"),
  cpu: z
    .object({ cores: z.number(), user_pct: z.number(), system_pct: z.number(), iowait_pct: z.number() })
    .nullable(),
  load: z.object({ load_1: z.number(), load_5: z.number(), load_15: z.number() }),
  memory: z.object({
    total_bytes: z.number(),
    used_bytes: z.number(),
    available_bytes: z.number(),
    used_pct: z.number().nullable(),
  }),
  swap: z.object({ total_bytes: z.number(), used_bytes: z.number(), used_pct: z.number().nullable() }),
  uptime_s: z.number(),
  process_count: z.number(),
  disks: z
    .array(
      z.object({
        mountpoint: z.string(),
        device: z.string(),
        fstype: z.string(),
        size_bytes: z.number(),
        used_bytes: z.number(),
        free_bytes: z.number(),
        used_pct: z.number().nullable().describe("as df computes Use%: used / (used + free)"),
        inodes_used_pct: z.number().nullable(),
      }),
    )
    .describe("mounted filesystems, fullest first"),
  disks_truncated: z.boolean(),
  disk_io: z
    .array(
      z.object({
        disk: z.string(),
        read_bytes_per_s: z.number(),
        write_bytes_per_s: z.number(),
        busy_pct: z.number(),
      }),
    )
    .describe("block devices, busiest first"),
  network: z
    .array(
      z.object({
        interface: z.string(),
        rx_bytes_per_s: z.number(),
        tx_bytes_per_s: z.number(),
        errors_per_s: z.number(),
        drops_per_s: z.number(),
      }),
    )
    .describe("interfaces, most traffic first"),
  temperatures: z
    .array(
      z.object({
        sensor: z.string(),
        temp_c: z.number(),
        high_c: z.number().nullable(),
        critical_c: z.number().nullable(),
      }),
    )
    .describe("sensors, hottest first"),
});
export type LatestSample = z.infer<typeof LatestSampleSchema>;

/** The agent's sample as an answer: percentages computed, lists sorted worst first and capped. */
export function latestSample(d: SystemData): LatestSample {
  const disks = d.mounts
    .map((m) => ({
      mountpoint: m.mountpoint,
      device: m.device,
      fstype: m.fstype,
      size_bytes: m.size_bytes,
      used_bytes: m.used_bytes,
      free_bytes: m.free_bytes,
      used_pct: percent(m.used_bytes, m.used_bytes + m.free_bytes),
      inodes_used_pct: percent(m.inodes_used, m.inodes_total),
    }))
    .sort((a, b) => (b.used_pct ?? -1) - (a.used_pct ?? -1) || a.mountpoint.localeCompare(b.mountpoint));
  const cappedDisks = capList(disks, MAX_ITEMS);
  const io = [...d.disks]
    .sort((a, b) => b.busy_pct - a.busy_pct || a.disk.localeCompare(b.disk))
    .slice(0, MAX_ITEMS)
    .map((x) => ({
      disk: x.disk,
      read_bytes_per_s: round(x.read_bytes_per_s),
      write_bytes_per_s: round(x.write_bytes_per_s),
      busy_pct: round(x.busy_pct),
    }));
  const traffic = (n: SystemData["interfaces"][number]): number => n.rx_bytes_per_s + n.tx_bytes_per_s;
  const network = [...d.interfaces]
    .sort((a, b) => traffic(b) - traffic(a) || a.interface.localeCompare(b.interface))
    .slice(0, MAX_ITEMS)
    .map((n) => ({
      interface: n.interface,
      rx_bytes_per_s: round(n.rx_bytes_per_s),
      tx_bytes_per_s: round(n.tx_bytes_per_s),
      errors_per_s: round(n.rx_errors_per_s + n.tx_errors_per_s, 3),
      drops_per_s: round(n.rx_drops_per_s + n.tx_drops_per_s, 3),
    }));
  const temperatures = [...d.temperatures]
    .sort((a, b) => b.temp_c - a.temp_c || a.sensor.localeCompare(b.sensor))
    .slice(0, MAX_ITEMS);
  const m = d.memory;
  return {
    cpu_pct: d.cpu === null ? null : round(d.cpu.usage_pct),
    cpu:
      d.cpu === null
        ? null
        : {
            cores: d.cpu.cores,
            user_pct: round(d.cpu.user_pct),
            system_pct: round(d.cpu.system_pct),
            iowait_pct: round(d.cpu.iowait_pct),
          },
    load: d.load,
    memory: {
      total_bytes: m.total_bytes,
      used_bytes: m.used_bytes,
      available_bytes: m.available_bytes,
      used_pct: percent(m.used_bytes, m.total_bytes),
    },
    swap: {
      total_bytes: m.swap_total_bytes,
      used_bytes: m.swap_used_bytes,
      used_pct: percent(m.swap_used_bytes, m.swap_total_bytes),
    },
    uptime_s: d.uptime_s,
    process_count: d.process_count,
    disks: cappedDisks.items,
    disks_truncated: cappedDisks.truncated,
    disk_io: io,
    network,
    temperatures,
  };
}

/** What is over a threshold now, worst first, e.g. "/ is 93% full". */
export function latestWarnings(
  s: LatestSample,
  t: { cpuPct: number; memPct: number; diskPct: number },
): string[] {
  const out: string[] = [];
  for (const disk of s.disks) {
    if (disk.used_pct !== null && disk.used_pct >= t.diskPct) {
      out.push(`${disk.mountpoint} is ${disk.used_pct}% full (${formatBytes(disk.free_bytes)} free)`);
    }
    if (disk.inodes_used_pct !== null && disk.inodes_used_pct >= t.diskPct) {
      out.push(`${disk.mountpoint} has used ${disk.inodes_used_pct}% of its inodes`);
    }
  }
  if (s.memory.used_pct !== null && s.memory.used_pct >= t.memPct)
    out.push(`memory ${s.memory.used_pct}% used`);
  if (s.cpu_pct !== null && s.cpu_pct >= t.cpuPct) out.push(`cpu ${s.cpu_pct}% busy`);
  for (const sensor of s.temperatures) {
    const limit = sensor.high_c ?? sensor.critical_c;
    if (limit !== null && sensor.temp_c >= limit) {
      out.push(`${sensor.sensor} at ${sensor.temp_c} °C (limit ${limit} °C)`);
    }
  }
  return out;
}
