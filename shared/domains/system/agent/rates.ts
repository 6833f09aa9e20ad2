import type { Cpu, DiskIo, NetworkIo } from "../schema.ts";
import type { DiskCounters } from "./parse-diskstats.ts";
import type { NetCounters } from "./parse-net-dev.ts";
import type { CpuTimes } from "./parse-stat.ts";

const SECTOR_BYTES = 512;

/**
 * Increase of a cumulative counter. A counter that went backwards was reset (reboot, driver reload,
 * interface re-created, 32-bit wrap): it counted up from 0 since then, so its current value is the
 * increase since the reset (the Prometheus `rate()` convention). It undercounts what happened before the
 * reset but is never negative or absurd.
 */
export function counterDelta(previous: number, current: number): number {
  return current >= previous ? current - previous : current;
}

/**
 * CPU shares of the jiffies spent between two samples. Different from other counters: the iowait field
 * may legitimately decrease between reads on NO_HZ kernels (Documentation/filesystems/proc.rst), so a
 * single mode going backwards counts as 0, not as a reset. Only when the total went backwards did the
 * host reboot, and then the current values are the deltas. Usage is everything except idle and iowait
 * (iowait is idle time with I/O pending). Null when no jiffy passed (samples too close together).
 */
export function cpuUsage(previous: CpuTimes, current: CpuTimes, cores: number): Cpu | null {
  const reset = sum(current) < sum(previous);
  const delta = (mode: keyof CpuTimes): number =>
    reset ? current[mode] : Math.max(0, current[mode] - previous[mode]);
  const d = {
    user: delta("user"),
    nice: delta("nice"),
    system: delta("system"),
    idle: delta("idle"),
    iowait: delta("iowait"),
    irq: delta("irq"),
    softirq: delta("softirq"),
    steal: delta("steal"),
  };
  const total = sum(d);
  if (total === 0) return null;
  // From integers, so no float sum can push a share outside 0..100; jiffies are 10 ms, so 2 decimals.
  const pct = (jiffies: number): number => Math.round((jiffies / total) * 10_000) / 100;
  return {
    cores,
    usage_pct: pct(total - d.idle - d.iowait),
    user_pct: pct(d.user),
    nice_pct: pct(d.nice),
    system_pct: pct(d.system),
    idle_pct: pct(d.idle),
    iowait_pct: pct(d.iowait),
    irq_pct: pct(d.irq),
    softirq_pct: pct(d.softirq),
    steal_pct: pct(d.steal),
  };
}

/** Per-second disk I/O; a device absent from the previous sample has no rate yet and is left out. */
export function diskRates(
  previous: ReadonlyMap<string, DiskCounters>,
  current: readonly DiskCounters[],
  intervalS: number,
): DiskIo[] {
  return current.flatMap((now) => {
    const before = previous.get(now.name);
    if (before === undefined) return [];
    const perS = (key: keyof Omit<DiskCounters, "name">): number =>
      counterDelta(before[key], now[key]) / intervalS;
    return [
      {
        disk: now.name,
        read_bytes_per_s: perS("read_sectors") * SECTOR_BYTES,
        write_bytes_per_s: perS("write_sectors") * SECTOR_BYTES,
        read_ops_per_s: perS("reads"),
        write_ops_per_s: perS("writes"),
        // io_ticks is updated at request boundaries, so it can run slightly ahead of wall time.
        busy_pct: Math.min(100, perS("io_ticks_ms") / 10),
      },
    ];
  });
}

/** Per-second network traffic; an interface absent from the previous sample is left out. */
export function networkRates(
  previous: ReadonlyMap<string, NetCounters>,
  current: readonly NetCounters[],
  intervalS: number,
): NetworkIo[] {
  return current.flatMap((now) => {
    const before = previous.get(now.interface);
    if (before === undefined) return [];
    const perS = (key: keyof Omit<NetCounters, "interface">): number =>
      counterDelta(before[key], now[key]) / intervalS;
    return [
      {
        interface: now.interface,
        rx_bytes_per_s: perS("rx_bytes"),
        tx_bytes_per_s: perS("tx_bytes"),
        rx_packets_per_s: perS("rx_packets"),
        tx_packets_per_s: perS("tx_packets"),
        rx_errors_per_s: perS("rx_errors"),
        tx_errors_per_s: perS("tx_errors"),
        rx_drops_per_s: perS("rx_drops"),
        tx_drops_per_s: perS("tx_drops"),
      },
    ];
  });
}

function sum(times: CpuTimes): number {
  return (
    times.user +
    times.nice +
    times.system +
    times.idle +
    times.iowait +
    times.irq +
    times.softirq +
    times.steal
  );
}
