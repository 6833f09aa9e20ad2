import { ItemErrorSchema, MAX_ITEM_ERRORS } from "@infrastructor/shared/schemas/source-result.ts";
import { z } from "zod";

/**
 * The `smart` domain: one `smartctl` reading per disk. ATA, NVMe and SCSI report different things;
 * the common numbers (temperature, hours, sector counts) are normalized here and the rest is null for
 * protocols that do not have it. Counts are the drive's raw counters, not the normalized 0..255
 * "values" (those stay in `attributes`).
 */
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const text = (max: number) => z.string().min(1).max(max);
/** 0..255: ATA normalized values and NVMe percentages (percentage_used may exceed 100). */
const byte = z.number().int().min(0).max(255);
const celsius = z.number().finite().min(-273.15).max(1000);

/** smartctl's exit status, bit by bit (smartctl(8) "RETURN VALUES"), lowest bit first. */
export const SMART_EXIT_FLAGS = [
  "command_line_error",
  "device_open_failed",
  "smart_command_failed",
  "disk_failing",
  "prefail_at_threshold",
  "attributes_past_threshold",
  "error_log_has_errors",
  "self_test_log_has_errors",
] as const;
export const SmartExitFlagSchema = z.enum(SMART_EXIT_FLAGS);
export type SmartExitFlag = z.infer<typeof SmartExitFlagSchema>;

export const SmartAttributeSchema = z.object({
  id: byte,
  name: z.string().max(64),
  value: byte.nullable(),
  worst: byte.nullable(),
  thresh: byte.nullable(),
  kind: z.enum(["prefail", "old_age"]),
  /** smartctl's WHEN_FAILED: value at or below thresh now, or at some point in the past. */
  when_failed: z.enum(["never", "now", "past"]),
  /** The leading integer of the raw value as smartctl prints it; null when it has none. */
  raw: count.nullable(),
  raw_string: z.string().max(128),
});
export type SmartAttribute = z.infer<typeof SmartAttributeSchema>;

export const NvmeHealthSchema = z.object({
  critical_warning: byte,
  percentage_used: byte,
  available_spare_pct: byte,
  available_spare_threshold_pct: byte,
  media_errors: count,
  unsafe_shutdowns: count,
  error_log_entries: count,
});
export type NvmeHealth = z.infer<typeof NvmeHealthSchema>;

export const SmartReadingSchema = z.object({
  protocol: z.enum(["ata", "nvme", "scsi"]),
  model: text(128).nullable(),
  serial: text(128).nullable(),
  firmware: text(64).nullable(),
  capacity_bytes: count.nullable(),
  /** 0 for solid state; null when the drive does not say. */
  rotation_rpm: z.number().int().min(0).max(100_000).nullable(),
  health: z.enum(["passed", "failed", "unknown"]),
  /**
   * null when the drive has no sensor: virtual disks (QEMU, VirtIO, VMware, RAID volumes) and some USB
   * bridges report 0 C with a limit of 0, which is "no reading", never a cold or hot drive.
   */
  temperature_c: celsius.nullable(),
  /** Where the drive itself says it is too hot (SCSI trip, ATA op limit, NVMe warning threshold); null when implausible (0). */
  temperature_limit_c: celsius.nullable(),
  power_on_hours: count.nullable(),
  power_cycles: count.nullable(),
  reallocated_sectors: count.nullable(),
  pending_sectors: count.nullable(),
  offline_uncorrectable: count.nullable(),
  crc_errors: count.nullable(),
  grown_defects: count.nullable(),
  nvme: NvmeHealthSchema.nullable(),
  attributes: z.array(SmartAttributeSchema).max(256),
  /**
   * Fields below are absent in messages of older agents.
   * `unavailable`: the device says it has no SMART (a virtual disk, a RAID volume): its exit bit 2 and
   * missing health are expected, not a fault.
   */
  smart_support: z.enum(["available", "unavailable"]).nullable().optional(),
  /** SCSI start-stop cycle counter log ("Accumulated start-stop cycles"). */
  start_stop_cycles: count.nullable().optional(),
  /** SCSI error counter log: total uncorrected read + write + verify errors. */
  uncorrected_errors: count.nullable().optional(),
  /**
   * Parts of the reading that could not be read (an attribute row or table entry, an error counter
   * row, the NVMe health log); the rest of the reading and the verdict stand.
   */
  item_errors: z.array(ItemErrorSchema).max(MAX_ITEM_ERRORS).optional(),
});
export type SmartReading = z.infer<typeof SmartReadingSchema>;

export const SmartVerdictSchema = z.enum(["ok", "warning", "failing"]);
export type SmartVerdict = z.infer<typeof SmartVerdictSchema>;

/** A /dev path and the `-d` type it was read with (several megaraid disks share one path). */
const deviceRef = {
  device: text(255),
  type: text(64),
};
const exit = {
  exit_status: z.number().int().min(0).max(255).nullable(),
  exit_flags: z.array(SmartExitFlagSchema).max(8),
};

export const SmartDriveReadSchema = z.object({
  ...deviceRef,
  ok: z.literal(true),
  power_mode: z.literal("active"),
  /** Stable across reboots and renames: `<model>:<serial>`, or the device when there is no serial. */
  drive_id: text(300),
  ...exit,
  reading: SmartReadingSchema,
  /** From this reading alone; trends over time are added by the collector (see smart-trend.ts). */
  verdict: SmartVerdictSchema,
  reasons: z.array(z.string().max(200)).max(32),
});

/** Asleep (`-n standby`): not woken to be read, so nothing is known but that. */
export const SmartDriveStandbySchema = z.object({
  ...deviceRef,
  ok: z.literal(true),
  power_mode: z.literal("standby"),
});

export const SmartDriveFailedSchema = z.object({
  ...deviceRef,
  ok: z.literal(false),
  /**
   * This drive's item error: the other drives of the sample are unaffected. `line` / `excerpt` name
   * where smartctl's output stopped being readable (absent in messages of older agents).
   */
  error: z.object({
    code: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/),
    message: z.string().max(1000),
    line: ItemErrorSchema.shape.error.shape.line.optional(),
    excerpt: ItemErrorSchema.shape.error.shape.excerpt.optional(),
  }),
  ...exit,
});

export const SmartDriveSchema = z.union([
  SmartDriveReadSchema,
  SmartDriveStandbySchema,
  SmartDriveFailedSchema,
]);
export type SmartDrive = z.infer<typeof SmartDriveSchema>;
export type SmartDriveRead = z.infer<typeof SmartDriveReadSchema>;
export type SmartDriveFailed = z.infer<typeof SmartDriveFailedSchema>;

export const SmartDataSchema = z
  .object({
    /** e.g. "7.3"; null when no smartctl output said. */
    smartctl_version: z.string().max(32).nullable(),
    /** `json` with smartmontools >= 7, `text` (-iHA) before. */
    format: z.enum(["json", "text"]),
    drives: z.array(SmartDriveSchema).max(128),
    /**
     * Scan entries or lines that could not be read (no device to read them as); the listed drives are
     * read as usual. Absent when there are none, and in messages of older agents.
     */
    item_errors: z.array(ItemErrorSchema).max(MAX_ITEM_ERRORS).optional(),
  })
  .superRefine((data, ctx) => {
    // The collector's tables are keyed by these; a duplicate would break the batch's COPY.
    const refs = new Set<string>();
    const ids = new Set<string>();
    for (const d of data.drives) {
      const ref = `${d.device}\u0000${d.type}`;
      if (refs.has(ref)) ctx.addIssue({ code: "custom", message: `${d.device} (${d.type}) listed twice` });
      refs.add(ref);
      if (d.ok && d.power_mode === "active") {
        if (ids.has(d.drive_id))
          ctx.addIssue({ code: "custom", message: `drive ${d.drive_id} listed twice` });
        ids.add(d.drive_id);
      }
    }
  });
export type SmartData = z.infer<typeof SmartDataSchema>;
