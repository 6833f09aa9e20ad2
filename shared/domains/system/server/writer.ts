import { copyNumber as n, copyText as t } from "@infrastructor/collector/ingest/copy-text.ts";
import type { DomainWriter, TimeSeriesTableSpec } from "@infrastructor/collector/ingest/domain-writer.ts";
import type { RowBuffers } from "@infrastructor/collector/ingest/row-buffers.ts";
import type { SystemData } from "../schema.ts";

export const SYSTEM_TABLES = {
  system_metrics: {
    name: "system_metrics",
    columns: [
      "time",
      "device_id",
      "cpu_pct",
      "cpu_user_pct",
      "cpu_nice_pct",
      "cpu_system_pct",
      "cpu_idle_pct",
      "cpu_iowait_pct",
      "cpu_irq_pct",
      "cpu_softirq_pct",
      "cpu_steal_pct",
      "load_1",
      "load_5",
      "load_15",
      "mem_total_bytes",
      "mem_used_bytes",
      "mem_available_bytes",
      "swap_total_bytes",
      "swap_used_bytes",
      "uptime_s",
      "process_count",
    ],
  },
  disk_usage: {
    name: "disk_usage",
    columns: [
      "time",
      "device_id",
      "mountpoint",
      "device",
      "fstype",
      "size_bytes",
      "used_bytes",
      "free_bytes",
      "inodes_total",
      "inodes_used",
      "inodes_free",
    ],
  },
  disk_io: {
    name: "disk_io",
    columns: [
      "time",
      "device_id",
      "disk",
      "read_bytes_per_s",
      "write_bytes_per_s",
      "read_ops_per_s",
      "write_ops_per_s",
      "busy_pct",
    ],
  },
  network_io: {
    name: "network_io",
    columns: [
      "time",
      "device_id",
      "interface",
      "rx_bytes_per_s",
      "tx_bytes_per_s",
      "rx_packets_per_s",
      "tx_packets_per_s",
      "rx_errors_per_s",
      "tx_errors_per_s",
      "rx_drops_per_s",
      "tx_drops_per_s",
    ],
  },
  temperatures: {
    name: "temperatures",
    columns: ["time", "device_id", "sensor", "temp_c", "high_c", "critical_c"],
  },
} as const satisfies Record<string, TimeSeriesTableSpec>;

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
 * COPY lines in the column order of SYSTEM_TABLES (system.test.ts checks every line against it).
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
