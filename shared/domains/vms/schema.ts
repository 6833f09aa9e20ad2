import { sourceResultSchema } from "@infrastructor/shared/schemas/source-result.ts";
import { z } from "zod";

/**
 * The `vms` domain: virtual machines and containers a hypervisor host runs, from libvirt (virsh) and
 * Proxmox VE (pvesh, or qm/pct). A source is null when its tools are not installed; both null means
 * the domain is unavailable on the host.
 */
const int4 = z.number().int().nonnegative().max(2_147_483_647);
const bytes = z.number().int().nonnegative();

export const VmSchema = z.object({
  /** libvirt: the domain name (ids change on every start); Proxmox: the VMID. */
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(255),
  type: z.enum(["vm", "lxc"]),
  state: z.enum(["running", "stopped", "paused", "suspended", "crashed", "other"]),
  /** The tool's own word for the state (`shut off`, `pmsuspended`, `stopped`). */
  state_detail: z.string().max(64),
  vcpus: int4.nullable(),
  /** Memory in use now (libvirt: the balloon's current size; Proxmox: mem). */
  memory_bytes: bytes.nullable(),
  memory_max_bytes: bytes.nullable(),
  uptime_s: z.number().nonnegative().nullable(),
  /** Share of the guest's vCPUs in use, 0..100; null without two samples (libvirt) or when stopped. */
  cpu_pct: z.number().min(0).max(100).nullable(),
  /** The Proxmox node it runs on. */
  node: z.string().max(255).nullable(),
});
export type Vm = z.infer<typeof VmSchema>;

export const VmsDataSchema = z.object({
  libvirt: sourceResultSchema(z.array(VmSchema).max(4096)).nullable(),
  proxmox: sourceResultSchema(z.array(VmSchema).max(4096)).nullable(),
});
export type VmsData = z.infer<typeof VmsDataSchema>;
