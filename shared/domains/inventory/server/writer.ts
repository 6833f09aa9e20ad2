import type { DomainWriter, StateItem } from "@infrastructor/collector/ingest/domain-writer.ts";
import { recordset } from "@infrastructor/lib/db/recordset.ts";
import type { TransactionSql } from "postgres";
import type { InventoryData } from "../schema.ts";
import { inventory } from "./tables.ts";

/**
 * Inventory is current state only: one `inventory` row per device, and the registry columns of
 * `devices`. Both move only forward: the upsert skips an envelope not newer than the stored row, and
 * devices is updated only for the rows the upsert actually wrote.
 */
export const inventoryWriter: DomainWriter<"inventory"> = {
  domain: "inventory",
  tables: [],
  rowCount: () => 0,
  addRows: () => {},
  writeState: writeInventoryState,
};

export async function writeInventoryState(
  tx: TransactionSql,
  items: StateItem<"inventory">[],
): Promise<void> {
  if (items.length === 0) return;
  // One JSON document for the set: PostgreSQL parses it once (as latest_state does).
  const records = JSON.stringify(
    items.map((item) => inventoryRecord(item.deviceId, item.collectedAt, item.data)),
  );
  await tx`
    WITH v AS (
      SELECT * FROM json_to_recordset(${records}::text::json) AS v(${recordset(tx, inventory)})
    ), written AS (
      INSERT INTO inventory AS i SELECT * FROM v ORDER BY device_id
      ON CONFLICT (device_id) DO UPDATE SET
        collected_at = EXCLUDED.collected_at, os_id = EXCLUDED.os_id, os_name = EXCLUDED.os_name,
        os_version_id = EXCLUDED.os_version_id, os_pretty_name = EXCLUDED.os_pretty_name,
        kernel = EXCLUDED.kernel, arch = EXCLUDED.arch, cpu_model = EXCLUDED.cpu_model,
        cpu_logical_cores = EXCLUDED.cpu_logical_cores, cpu_physical_cores = EXCLUDED.cpu_physical_cores,
        cpu_sockets = EXCLUDED.cpu_sockets, memory_total_bytes = EXCLUDED.memory_total_bytes,
        virtualization = EXCLUDED.virtualization,
        virtualization_technology = EXCLUDED.virtualization_technology,
        boot_time = EXCLUDED.boot_time, agent_version = EXCLUDED.agent_version
      WHERE i.collected_at < EXCLUDED.collected_at
      RETURNING i.device_id
    )
    UPDATE devices AS d SET
      os = COALESCE(v.os_pretty_name, concat_ws(' ', v.os_name, v.os_version_id)),
      kernel = v.kernel, arch = v.arch, cpu_model = v.cpu_model, cpu_cores = v.cpu_logical_cores,
      memory_total_bytes = v.memory_total_bytes
    FROM v JOIN written USING (device_id)
    WHERE d.id = v.device_id`;
}

/** Column names of `inventory`, in its order (json_to_recordset matches keys by name). */
export function inventoryRecord(
  deviceId: number,
  collectedAt: Date,
  data: InventoryData,
): Record<string, unknown> {
  return {
    device_id: deviceId,
    collected_at: collectedAt.toISOString(),
    os_id: data.os?.id ?? null,
    os_name: data.os?.name ?? null,
    os_version_id: data.os?.version_id ?? null,
    os_pretty_name: data.os?.pretty_name ?? null,
    kernel: data.kernel,
    arch: data.arch,
    cpu_model: data.cpu?.model ?? null,
    cpu_logical_cores: data.cpu?.logical_cores ?? null,
    cpu_physical_cores: data.cpu?.physical_cores ?? null,
    cpu_sockets: data.cpu?.sockets ?? null,
    memory_total_bytes: data.memory_total_bytes,
    virtualization: data.virtualization.kind,
    virtualization_technology: data.virtualization.technology,
    boot_time: data.boot_time,
    agent_version: data.agent_version,
  };
}
