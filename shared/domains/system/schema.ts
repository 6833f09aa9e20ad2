import {
  ItemErrorSchema,
  MAX_ITEM_ERRORS,
  TruncatedSchema,
} from "@infrastructor/shared/schemas/source-result.ts";
import { z } from "zod";

/**
 * The `system` domain: one sample of /proc and /sys. Rates (`*_per_s`, cpu %) come from counter deltas
 * between two samples, so they are null (cpu) or absent (disk/interface lists empty) in an agent's first
 * sample. Byte counts are integers in bytes; percentages are 0..100.
 */
const finite = z.number().finite();
const nonNegative = finite.nonnegative();
const bytes = z.number().int().nonnegative();
const pct = finite.min(0).max(100);
const name = z.string().min(1).max(255);
/** Stored in PostgreSQL `integer` columns. */
const int4 = z.number().int().nonnegative().max(2_147_483_647);

export const CpuSchema = z.object({
  cores: z.number().int().positive(),
  usage_pct: pct,
  user_pct: pct,
  nice_pct: pct,
  system_pct: pct,
  idle_pct: pct,
  iowait_pct: pct,
  irq_pct: pct,
  softirq_pct: pct,
  steal_pct: pct,
});
export type Cpu = z.infer<typeof CpuSchema>;

export const LoadSchema = z.object({ load_1: nonNegative, load_5: nonNegative, load_15: nonNegative });
export type Load = z.infer<typeof LoadSchema>;

export const MemorySchema = z.object({
  total_bytes: bytes,
  used_bytes: bytes,
  available_bytes: bytes,
  free_bytes: bytes,
  buffers_bytes: bytes,
  cached_bytes: bytes,
  swap_total_bytes: bytes,
  swap_used_bytes: bytes,
});
export type Memory = z.infer<typeof MemorySchema>;

export const MountUsageSchema = z.object({
  mountpoint: z.string().min(1).max(4096),
  device: z.string().max(4096),
  fstype: z.string().max(64),
  size_bytes: bytes,
  used_bytes: bytes,
  /** Free for unprivileged users (statfs f_bavail), what `df` calls "Avail". */
  free_bytes: bytes,
  inodes_total: bytes,
  inodes_used: bytes,
  inodes_free: bytes,
});
export type MountUsage = z.infer<typeof MountUsageSchema>;

export const DiskIoSchema = z.object({
  disk: name,
  read_bytes_per_s: nonNegative,
  write_bytes_per_s: nonNegative,
  read_ops_per_s: nonNegative,
  write_ops_per_s: nonNegative,
  /** Share of wall time the device had I/O in flight (diskstats io_ticks). */
  busy_pct: pct,
});
export type DiskIo = z.infer<typeof DiskIoSchema>;

export const NetworkIoSchema = z.object({
  interface: name,
  rx_bytes_per_s: nonNegative,
  tx_bytes_per_s: nonNegative,
  rx_packets_per_s: nonNegative,
  tx_packets_per_s: nonNegative,
  rx_errors_per_s: nonNegative,
  tx_errors_per_s: nonNegative,
  rx_drops_per_s: nonNegative,
  tx_drops_per_s: nonNegative,
});
export type NetworkIo = z.infer<typeof NetworkIoSchema>;

export const TemperatureSchema = z.object({
  /** `<chip name>/<label or tempN>`, stable across reboots for the same hardware. */
  sensor: z.string().min(1).max(255),
  temp_c: finite.min(-273.15).max(1000),
  high_c: finite.nullable(),
  critical_c: finite.nullable(),
});
export type Temperature = z.infer<typeof TemperatureSchema>;

const itemErrors = z.array(ItemErrorSchema).max(MAX_ITEM_ERRORS).optional();

/** The lists of a system sample; item errors and truncation counts are keyed by them. */
export const SYSTEM_LISTS = ["mounts", "disks", "interfaces", "temperatures"] as const;
export type SystemList = (typeof SYSTEM_LISTS)[number];

export const SystemDataSchema = z.object({
  /** Seconds between this sample and the one its rates are computed against; null in a first sample. */
  interval_s: finite.positive().nullable(),
  uptime_s: nonNegative,
  process_count: int4,
  procs_running: int4,
  procs_blocked: int4,
  cpu: CpuSchema.nullable(),
  load: LoadSchema,
  memory: MemorySchema,
  mounts: z.array(MountUsageSchema).max(1000),
  disks: z.array(DiskIoSchema).max(1000),
  interfaces: z.array(NetworkIoSchema).max(4096),
  temperatures: z.array(TemperatureSchema).max(1000),
  /**
   * How many items of a list were left out to keep the sample sendable (a local user can add FUSE
   * mounts); absent when nothing was, and in samples of older agents.
   */
  truncated: z
    .object({
      mounts: TruncatedSchema.optional(),
      disks: TruncatedSchema.optional(),
      interfaces: TruncatedSchema.optional(),
      temperatures: TruncatedSchema.optional(),
    })
    .optional(),
  /**
   * Per list, the items that could not be read (a garbled /proc/diskstats or /proc/net/dev row, a mount
   * line, a sensor), beside the items that could; at most MAX_ITEM_ERRORS each, the rest counted in
   * `item_errors_dropped`. Absent when every item was read, and in samples of older agents.
   */
  item_errors: z
    .object({ mounts: itemErrors, disks: itemErrors, interfaces: itemErrors, temperatures: itemErrors })
    .optional(),
  item_errors_dropped: z
    .object({
      mounts: TruncatedSchema.optional(),
      disks: TruncatedSchema.optional(),
      interfaces: TruncatedSchema.optional(),
      temperatures: TruncatedSchema.optional(),
    })
    .optional(),
});
export type SystemData = z.infer<typeof SystemDataSchema>;
