/**
 * The time-series tables the ingest writes with COPY, and their column order. Constant SQL: table and
 * column names come from here, never from a message.
 */
export const TimeSeriesTables = {
  system_metrics: [
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
  disk_usage: [
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
  disk_io: [
    "time",
    "device_id",
    "disk",
    "read_bytes_per_s",
    "write_bytes_per_s",
    "read_ops_per_s",
    "write_ops_per_s",
    "busy_pct",
  ],
  network_io: [
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
  temperatures: ["time", "device_id", "sensor", "temp_c", "high_c", "critical_c"],
} as const;

export type TimeSeriesTable = keyof typeof TimeSeriesTables;
export const TIME_SERIES_TABLE_NAMES = Object.keys(TimeSeriesTables) as TimeSeriesTable[];

export function copyStatement(table: TimeSeriesTable, into: string = table): string {
  return `COPY ${into} (${TimeSeriesTables[table].join(", ")}) FROM STDIN`;
}
