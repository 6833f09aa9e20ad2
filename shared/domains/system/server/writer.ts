import { type DomainWriter, timeSeriesTable } from "@infrastructor/collector/ingest/domain-writer.ts";
import type { RowBuffers } from "@infrastructor/collector/ingest/row-buffers.ts";
import type { SystemData } from "../schema.ts";
import { diskIo, diskUsage, networkIo, systemMetrics, temperatures } from "./tables.ts";

/** The time series this writer appends to, from their declarations (tables.ts): columns, line order. */
export const SYSTEM_TABLES = {
  system_metrics: timeSeriesTable(systemMetrics),
  disk_usage: timeSeriesTable(diskUsage),
  disk_io: timeSeriesTable(diskIo),
  network_io: timeSeriesTable(networkIo),
  temperatures: timeSeriesTable(temperatures),
};

export const systemWriter: DomainWriter<"system"> = {
  domain: "system",
  tables: Object.values(SYSTEM_TABLES),
  rowCount: systemRowCount,
  addRows: addSystemRows,
};

/** Rows one system sample becomes: one system_metrics row plus one per mount, disk, interface, sensor. */
export function systemRowCount(data: SystemData): number {
  return 1 + data.mounts.length + data.disks.length + data.interfaces.length + data.temperatures.length;
}

/**
 * One row object per line, each value under its column's name; the encoders put them in the declared
 * order (system.test.ts checks lines against it). Numbers go in as they are: the schema has already
 * refused anything non-finite.
 */
export function addSystemRows(out: RowBuffers, deviceId: number, collectedAt: Date, data: SystemData): void {
  const ms = collectedAt.getTime();
  const time = collectedAt.toISOString();
  const c = data.cpu;
  const m = data.memory;
  const l = data.load;
  out.append(
    "system_metrics",
    ms,
    SYSTEM_TABLES.system_metrics.line({
      time,
      device_id: deviceId,
      cpu_pct: c?.usage_pct,
      cpu_user_pct: c?.user_pct,
      cpu_nice_pct: c?.nice_pct,
      cpu_system_pct: c?.system_pct,
      cpu_idle_pct: c?.idle_pct,
      cpu_iowait_pct: c?.iowait_pct,
      cpu_irq_pct: c?.irq_pct,
      cpu_softirq_pct: c?.softirq_pct,
      cpu_steal_pct: c?.steal_pct,
      load_1: l.load_1,
      load_5: l.load_5,
      load_15: l.load_15,
      mem_total_bytes: m.total_bytes,
      mem_used_bytes: m.used_bytes,
      mem_available_bytes: m.available_bytes,
      swap_total_bytes: m.swap_total_bytes,
      swap_used_bytes: m.swap_used_bytes,
      uptime_s: data.uptime_s,
      process_count: data.process_count,
    }),
  );
  if (data.mounts.length > 0) {
    const line = SYSTEM_TABLES.disk_usage.line;
    let lines = "";
    for (const u of data.mounts) {
      lines += line({
        time,
        device_id: deviceId,
        mountpoint: u.mountpoint,
        device: u.device,
        fstype: u.fstype,
        size_bytes: u.size_bytes,
        used_bytes: u.used_bytes,
        free_bytes: u.free_bytes,
        inodes_total: u.inodes_total,
        inodes_used: u.inodes_used,
        inodes_free: u.inodes_free,
      });
    }
    out.append("disk_usage", ms, lines, data.mounts.length);
  }
  if (data.disks.length > 0) {
    const line = SYSTEM_TABLES.disk_io.line;
    let lines = "";
    for (const d of data.disks) {
      lines += line({
        time,
        device_id: deviceId,
        disk: d.disk,
        read_bytes_per_s: d.read_bytes_per_s,
        write_bytes_per_s: d.write_bytes_per_s,
        read_ops_per_s: d.read_ops_per_s,
        write_ops_per_s: d.write_ops_per_s,
        busy_pct: d.busy_pct,
      });
    }
    out.append("disk_io", ms, lines, data.disks.length);
  }
  if (data.interfaces.length > 0) {
    const line = SYSTEM_TABLES.network_io.line;
    let lines = "";
    for (const i of data.interfaces) {
      lines += line({
        time,
        device_id: deviceId,
        interface: i.interface,
        rx_bytes_per_s: i.rx_bytes_per_s,
        tx_bytes_per_s: i.tx_bytes_per_s,
        rx_packets_per_s: i.rx_packets_per_s,
        tx_packets_per_s: i.tx_packets_per_s,
        rx_errors_per_s: i.rx_errors_per_s,
        tx_errors_per_s: i.tx_errors_per_s,
        rx_drops_per_s: i.rx_drops_per_s,
        tx_drops_per_s: i.tx_drops_per_s,
      });
    }
    out.append("network_io", ms, lines, data.interfaces.length);
  }
  if (data.temperatures.length > 0) {
    const line = SYSTEM_TABLES.temperatures.line;
    let lines = "";
    for (const s of data.temperatures) {
      lines += line({
        time,
        device_id: deviceId,
        sensor: s.sensor,
        temp_c: s.temp_c,
        high_c: s.high_c,
        critical_c: s.critical_c,
      });
    }
    out.append("temperatures", ms, lines, data.temperatures.length);
  }
}
