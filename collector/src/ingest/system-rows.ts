import type { SystemData } from "@infrastructor/shared/schemas/system.ts";
import type { RowBuffers } from "./row-buffers.ts";

/** Rows one system sample becomes: one system_metrics row plus one per mount, disk, interface, sensor. */
export function systemRowCount(data: SystemData | null): number {
  if (!data) return 0;
  return 1 + data.mounts.length + data.disks.length + data.interfaces.length + data.temperatures.length;
}

export function addSystemRows(out: RowBuffers, deviceId: number, collectedAt: Date, data: SystemData): void {
  const ms = collectedAt.getTime();
  const time = collectedAt.toISOString();
  const cpu = data.cpu;
  const mem = data.memory;
  out.add("system_metrics", ms, [
    time,
    deviceId,
    cpu?.usage_pct,
    cpu?.user_pct,
    cpu?.nice_pct,
    cpu?.system_pct,
    cpu?.idle_pct,
    cpu?.iowait_pct,
    cpu?.irq_pct,
    cpu?.softirq_pct,
    cpu?.steal_pct,
    data.load.load_1,
    data.load.load_5,
    data.load.load_15,
    mem.total_bytes,
    mem.used_bytes,
    mem.available_bytes,
    mem.swap_total_bytes,
    mem.swap_used_bytes,
    data.uptime_s,
    data.process_count,
  ]);
  for (const m of data.mounts) {
    out.add("disk_usage", ms, [
      time,
      deviceId,
      m.mountpoint,
      m.device,
      m.fstype,
      m.size_bytes,
      m.used_bytes,
      m.free_bytes,
      m.inodes_total,
      m.inodes_used,
      m.inodes_free,
    ]);
  }
  for (const d of data.disks) {
    out.add("disk_io", ms, [
      time,
      deviceId,
      d.disk,
      d.read_bytes_per_s,
      d.write_bytes_per_s,
      d.read_ops_per_s,
      d.write_ops_per_s,
      d.busy_pct,
    ]);
  }
  for (const n of data.interfaces) {
    out.add("network_io", ms, [
      time,
      deviceId,
      n.interface,
      n.rx_bytes_per_s,
      n.tx_bytes_per_s,
      n.rx_packets_per_s,
      n.tx_packets_per_s,
      n.rx_errors_per_s,
      n.tx_errors_per_s,
      n.rx_drops_per_s,
      n.tx_drops_per_s,
    ]);
  }
  for (const t of data.temperatures) {
    out.add("temperatures", ms, [time, deviceId, t.sensor, t.temp_c, t.high_c, t.critical_c]);
  }
}
