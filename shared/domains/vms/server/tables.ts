import { float4, float8, int4, int8, text, timestamptz } from "@infrastructor/lib/db/column.ts";
import { table } from "@infrastructor/lib/db/table.ts";

type SourceStatus = "ok" | "failed" | "absent";

/** Which source answered in the newest envelope, per device (migration 18). */
export const vmSources = table(
  "vm_sources",
  {
    device_id: int4(),
    collected_at: timestamptz(),
    libvirt_status: text<SourceStatus>(),
    libvirt_error: text().nullable(),
    proxmox_status: text<SourceStatus>(),
    proxmox_error: text().nullable(),
  },
  { kind: "state", primaryKey: ["device_id"] },
);

/** libvirt domains and Proxmox guests, as the newest envelope that listed them says. */
export const vms = table(
  "vms",
  {
    device_id: int4(),
    source: text<"libvirt" | "proxmox">(),
    vm_id: text(),
    name: text(),
    type: text<"vm" | "lxc">(),
    state: text(),
    state_detail: text(),
    vcpus: int4().nullable(),
    memory_bytes: int8().nullable(),
    memory_max_bytes: int8().nullable(),
    uptime_s: float8().nullable(),
    cpu_pct: float4().nullable(),
    node: text().nullable(),
  },
  { kind: "state", primaryKey: ["device_id", "source", "vm_id"] },
);

export const vmMetrics = table(
  "vm_metrics",
  {
    time: timestamptz(),
    device_id: int4(),
    source: text(),
    vm_id: text(),
    cpu_pct: float4().nullable(),
    memory_bytes: int8().nullable(),
  },
  {
    kind: "timeseries",
    primaryKey: ["device_id", "source", "vm_id", "time"],
    retention: { keep: "raw", by: "time" },
  },
);

export const VMS_TABLE_DECLARATIONS = [vmSources, vms, vmMetrics] as const;
