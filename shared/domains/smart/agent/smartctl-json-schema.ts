import { z } from "zod";

/**
 * The parts of smartctl's JSON output (json_format_version 1) that are read; everything else passes.
 * Field names are smartctl's own (smartmontools `--json` output, stable since 7.0).
 */
const uint = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const temp = z.number().finite().min(-273).max(1000);
const byte = z.number().int().min(0).max(255);

/** One entry of `ata_smart_attributes.table`; checked entry by entry so one bad entry loses only itself. */
export const AttributeRowSchema = z.looseObject({
  id: byte,
  name: z.string(),
  value: byte.optional(),
  worst: byte.optional(),
  thresh: byte.optional(),
  when_failed: z.string().optional(),
  flags: z.looseObject({ prefailure: z.boolean() }).optional(),
  raw: z.looseObject({ value: uint, string: z.string() }),
});
export type AttributeRow = z.infer<typeof AttributeRowSchema>;

const errorCounters = z.looseObject({ total_uncorrected_errors: uint.optional() }).optional();

/** Checked on its own: an unreadable NVMe log loses itself, not the drive's identity and verdict. */
export const NvmeLogSchema = z.looseObject({
  critical_warning: byte,
  temperature: temp.optional(),
  available_spare: byte,
  available_spare_threshold: byte,
  percentage_used: byte,
  power_cycles: uint.optional(),
  power_on_hours: uint.optional(),
  unsafe_shutdowns: uint,
  media_errors: uint,
  num_err_log_entries: uint,
});

export const SmartctlJsonSchema = z.looseObject({
  json_format_version: z.array(z.number()).optional(),
  smartctl: z.looseObject({
    version: z.array(z.number().int()).max(4).optional(),
    exit_status: z.number().int().min(0).max(255).optional(),
    messages: z.array(z.looseObject({ string: z.string(), severity: z.string().optional() })).optional(),
  }),
  device: z.looseObject({ name: z.string(), type: z.string(), protocol: z.string() }).optional(),
  model_name: z.string().optional(),
  scsi_model_name: z.string().optional(),
  // Before smartmontools 7.3 the SCSI inquiry fields had no `scsi_` prefix.
  vendor: z.string().optional(),
  product: z.string().optional(),
  revision: z.string().optional(),
  scsi_vendor: z.string().optional(),
  scsi_product: z.string().optional(),
  scsi_revision: z.string().optional(),
  serial_number: z.string().optional(),
  firmware_version: z.string().optional(),
  user_capacity: z.looseObject({ bytes: uint }).optional(),
  nvme_total_capacity: uint.optional(),
  rotation_rate: z.number().int().min(0).max(100_000).optional(),
  smart_status: z.looseObject({ passed: z.boolean() }).optional(),
  temperature: z
    .looseObject({ current: temp.optional(), drive_trip: temp.optional(), op_limit_max: temp.optional() })
    .optional(),
  // smartctl 7.3+ puts the informational-exceptions trip point here when there is no temperature log page.
  scsi_temperature: z.looseObject({ drive_trip: temp.optional() }).optional(),
  scsi_environmental_reports: z
    .looseObject({ temperature_1: z.looseObject({ current: temp.optional() }).optional() })
    .optional(),
  smart_support: z.looseObject({ available: z.boolean().optional() }).optional(),
  nvme_composite_temperature_threshold: z.looseObject({ warning: temp.optional() }).optional(),
  power_on_time: z.looseObject({ hours: uint }).optional(),
  power_cycle_count: uint.optional(),
  scsi_grown_defect_list: uint.optional(),
  scsi_start_stop_cycle_counter: z.looseObject({ accumulated_start_stop_cycles: uint.optional() }).optional(),
  scsi_error_counter_log: z
    .looseObject({ read: errorCounters, write: errorCounters, verify: errorCounters })
    .optional(),
  ata_smart_attributes: z.looseObject({ table: z.array(z.unknown()).max(256) }).optional(),
  nvme_smart_health_information_log: z.unknown().optional(),
});
export type SmartctlJson = z.infer<typeof SmartctlJsonSchema>;
export type NvmeLog = z.infer<typeof NvmeLogSchema>;
