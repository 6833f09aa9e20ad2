import type { SystemData } from "@infrastructor/shared/schemas/system.ts";
import { copyNumber as n, copyText as t } from "./copy-text.ts";
import type { RowBuffers } from "./row-buffers.ts";

/** Rows one system sample becomes: one system_metrics row plus one per mount, disk, interface, sensor. */
export function systemRowCount(data: SystemData | null): number {
  if (!data) return 0;
  return 1 + data.mounts.length + data.disks.length + data.interfaces.length + data.temperatures.length;
}

/**
 * COPY lines in the column order of tables.ts (system-rows.test.ts checks every line against it).
 * Numbers go in as they are: the schema has already refused anything non-finite.
 */
export function addSystemRows(out: RowBuffers, deviceId: number, collectedAt: Date, data: SystemData): void {
  const ms = collectedAt.getTime();
  const key = `${collectedAt.toISOString()}\t${deviceId}`;
  const c = data.cpu;
  const m = data.memory;
  const l = data.load;
  out.append(
    "system_metrics",
    ms,
    `${key}\t${n(c?.usage_pct)}\t${n(c?.user_pct)}\t${n(c?.nice_pct)}\t${n(c?.system_pct)}\t${n(c?.idle_pct)}\t${n(c?.iowait_pct)}\t${n(c?.irq_pct)}\t${n(c?.softirq_pct)}\t${n(c?.steal_pct)}\t${l.load_1}\t${l.load_5}\t${l.load_15}\t${m.total_bytes}\t${m.used_bytes}\t${m.available_bytes}\t${m.swap_total_bytes}\t${m.swap_used_bytes}\t${data.uptime_s}\t${data.process_count}\n`,
  );
  if (data.mounts.length > 0) {
    let lines = "";
    for (const u of data.mounts) {
      lines += `${key}\t${t(u.mountpoint)}\t${t(u.device)}\t${t(u.fstype)}\t${u.size_bytes}\t${u.used_bytes}\t${u.free_bytes}\t${u.inodes_total}\t${u.inodes_used}\t${u.inodes_free}\n`;
    }
    out.append("disk_usage", ms, lines, data.mounts.length);
  }
  if (data.disks.length > 0) {
    let lines = "";
    for (const d of data.disks) {
      lines += `${key}\t${t(d.disk)}\t${d.read_bytes_per_s}\t${d.write_bytes_per_s}\t${d.read_ops_per_s}\t${d.write_ops_per_s}\t${d.busy_pct}\n`;
    }
    out.append("disk_io", ms, lines, data.disks.length);
  }
  if (data.interfaces.length > 0) {
    let lines = "";
    for (const i of data.interfaces) {
      lines += `${key}\t${t(i.interface)}\t${i.rx_bytes_per_s}\t${i.tx_bytes_per_s}\t${i.rx_packets_per_s}\t${i.tx_packets_per_s}\t${i.rx_errors_per_s}\t${i.tx_errors_per_s}\t${i.rx_drops_per_s}\t${i.tx_drops_per_s}\n`;
    }
    out.append("network_io", ms, lines, data.interfaces.length);
  }
  if (data.temperatures.length > 0) {
    let lines = "";
    for (const s of data.temperatures) {
      lines += `${key}\t${t(s.sensor)}\t${s.temp_c}\t${n(s.high_c)}\t${n(s.critical_c)}\n`;
    }
    out.append("temperatures", ms, lines, data.temperatures.length);
  }
}
