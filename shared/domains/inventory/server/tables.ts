import { int4, int8, text, timestamptz } from "@infrastructor/lib/db/column.ts";
import { table } from "@infrastructor/lib/db/table.ts";

/** What each device is: the newest inventory collection (collected_at orders the writes). */
export const inventory = table(
  "inventory",
  {
    device_id: int4(),
    collected_at: timestamptz(),
    os_id: text().nullable(),
    os_name: text().nullable(),
    os_version_id: text().nullable(),
    os_pretty_name: text().nullable(),
    kernel: text().nullable(),
    arch: text().nullable(),
    cpu_model: text().nullable(),
    cpu_logical_cores: int4().nullable(),
    cpu_physical_cores: int4().nullable(),
    cpu_sockets: int4().nullable(),
    memory_total_bytes: int8().nullable(),
    virtualization: text<"none" | "vm" | "container" | "unknown">(),
    virtualization_technology: text().nullable(),
    boot_time: timestamptz().nullable(),
    agent_version: text(),
  },
  { kind: "state", primaryKey: ["device_id"] },
);

export const INVENTORY_TABLE_DECLARATIONS = [inventory] as const;
