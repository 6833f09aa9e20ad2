import { ItemErrorSchema, MAX_ITEM_ERRORS } from "@infrastructor/shared/schemas/source-result.ts";
import { z } from "zod";

/**
 * The `inventory` domain: what a host is (OS, kernel, CPU, memory, virtualization, boot time). It changes
 * rarely, so the agent sends it at start and every 6 h. Each field is null when its source could not be
 * read; the envelope's errors then say why.
 */
const text = z.string().min(1).max(255);
/** Stored in PostgreSQL `integer` columns. */
const int4 = z.number().int().nonnegative().max(2_147_483_647);

export const OsReleaseSchema = z.object({
  /** `ID` of os-release, e.g. `debian`; `linux` when the file omits it (the spec's default). */
  id: text,
  name: text.nullable(),
  version_id: text.nullable(),
  pretty_name: text.nullable(),
});
export type OsRelease = z.infer<typeof OsReleaseSchema>;

export const CpuInfoSchema = z.object({
  /** `model name` (x86), else `Model`/`Hardware` (ARM boards), else null. */
  model: text.nullable(),
  /** Logical CPUs (processor entries), what the system domain's cpu % is relative to. */
  logical_cores: int4.positive(),
  /** Physical cores (distinct physical id + core id); null when the kernel does not say (most ARM). */
  physical_cores: int4.positive().nullable(),
  sockets: int4.positive().nullable(),
  /** The `hypervisor` flag: the kernel runs under a hypervisor (x86 only). */
  hypervisor_flag: z.boolean(),
});
export type CpuInfo = z.infer<typeof CpuInfoSchema>;

export const VirtualizationSchema = z.object({
  kind: z.enum(["none", "vm", "container", "unknown"]),
  /** systemd-detect-virt's identifier (`kvm`, `docker`, `lxc`, ...) or what DMI names; null if unknown. */
  technology: text.nullable(),
  /** How it was found out. */
  method: z.enum(["systemd-detect-virt", "dmi", "cpuinfo", "none"]),
});
export type Virtualization = z.infer<typeof VirtualizationSchema>;

export const InventoryDataSchema = z.object({
  os: OsReleaseSchema.nullable(),
  kernel: text.nullable(),
  arch: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/)
    .nullable(),
  cpu: CpuInfoSchema.nullable(),
  memory_total_bytes: z.number().int().nonnegative().nullable(),
  virtualization: VirtualizationSchema,
  boot_time: z.iso.datetime({ offset: true }).nullable(),
  agent_version: z.string().min(1).max(64),
  /**
   * One item error per field whose source could not be read or was refused (a cut /proc/cpuinfo, a
   * /proc/stat of two dumps), named by the field (`os`, `kernel`, `arch`, `cpu`, `memory_total_bytes`,
   * `boot_time`, `virtualization`), with the line when the parser named one. Absent when every source
   * was read, and in messages of older agents.
   */
  item_errors: z.array(ItemErrorSchema).max(MAX_ITEM_ERRORS).optional(),
});
export type InventoryData = z.infer<typeof InventoryDataSchema>;
