import { float4, float8, int4, int8, text, timestamptz } from "@infrastructor/lib/db/column.ts";
import { table } from "@infrastructor/lib/db/table.ts";

const RAW = { keep: "raw", by: "time" } as const;

export const systemMetrics = table(
  "system_metrics",
  {
    time: timestamptz(),
    device_id: int4(),
    cpu_pct: float4().nullable(),
    cpu_user_pct: float4().nullable(),
    cpu_nice_pct: float4().nullable(),
    cpu_system_pct: float4().nullable(),
    cpu_idle_pct: float4().nullable(),
    cpu_iowait_pct: float4().nullable(),
    cpu_irq_pct: float4().nullable(),
    cpu_softirq_pct: float4().nullable(),
    cpu_steal_pct: float4().nullable(),
    load_1: float4(),
    load_5: float4(),
    load_15: float4(),
    mem_total_bytes: int8(),
    mem_used_bytes: int8(),
    mem_available_bytes: int8(),
    swap_total_bytes: int8(),
    swap_used_bytes: int8(),
    uptime_s: float8(),
    process_count: int4(),
  },
  { kind: "timeseries", primaryKey: ["device_id", "time"], retention: RAW },
);

export const diskUsage = table(
  "disk_usage",
  {
    time: timestamptz(),
    device_id: int4(),
    mountpoint: text(),
    device: text(),
    fstype: text(),
    size_bytes: int8(),
    used_bytes: int8(),
    free_bytes: int8(),
    inodes_total: int8(),
    inodes_used: int8(),
    inodes_free: int8(),
  },
  { kind: "timeseries", primaryKey: ["device_id", "mountpoint", "time"], retention: RAW },
);

export const diskIo = table(
  "disk_io",
  {
    time: timestamptz(),
    device_id: int4(),
    disk: text(),
    read_bytes_per_s: float8(),
    write_bytes_per_s: float8(),
    read_ops_per_s: float8(),
    write_ops_per_s: float8(),
    busy_pct: float4(),
  },
  { kind: "timeseries", primaryKey: ["device_id", "disk", "time"], retention: RAW },
);

export const networkIo = table(
  "network_io",
  {
    time: timestamptz(),
    device_id: int4(),
    interface: text(),
    rx_bytes_per_s: float8(),
    tx_bytes_per_s: float8(),
    rx_packets_per_s: float8(),
    tx_packets_per_s: float8(),
    rx_errors_per_s: float8(),
    tx_errors_per_s: float8(),
    rx_drops_per_s: float8(),
    tx_drops_per_s: float8(),
  },
  { kind: "timeseries", primaryKey: ["device_id", "interface", "time"], retention: RAW },
);

export const temperatures = table(
  "temperatures",
  {
    time: timestamptz(),
    device_id: int4(),
    sensor: text(),
    temp_c: float4(),
    high_c: float4().nullable(),
    critical_c: float4().nullable(),
  },
  { kind: "timeseries", primaryKey: ["device_id", "sensor", "time"], retention: RAW },
);

/**
 * Hourly and daily rollups of system_metrics: continuous aggregates on TimescaleDB, tables otherwise.
 * Both have these columns in this order (the continuous aggregates' SELECT order).
 */
const rollupColumns = {
  bucket: timestamptz<Date>(),
  device_id: int4(),
  samples: int8(),
  cpu_pct_avg: float8().nullable(),
  cpu_pct_max: float4().nullable(),
  load_1_avg: float8(),
  load_1_max: float4(),
  mem_used_bytes_avg: float8(),
  mem_used_bytes_max: int8(),
  mem_total_bytes: int8(),
  swap_used_bytes_max: int8(),
  process_count_max: int4(),
};

export const systemMetricsHourly = table("system_metrics_hourly", rollupColumns, {
  kind: "rollup",
  primaryKey: ["device_id", "bucket"],
  retention: { keep: "hourly", by: "bucket" },
});

export const systemMetricsDaily = table("system_metrics_daily", rollupColumns, {
  kind: "rollup",
  primaryKey: ["device_id", "bucket"],
  retention: { keep: "daily", by: "bucket" },
});

export const SYSTEM_TABLE_DECLARATIONS = [
  systemMetrics,
  diskUsage,
  diskIo,
  networkIo,
  temperatures,
  systemMetricsHourly,
  systemMetricsDaily,
] as const;
