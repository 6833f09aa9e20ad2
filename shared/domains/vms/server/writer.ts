import {
  type DomainWriter,
  type StateItem,
  timeSeriesTable,
} from "@infrastructor/collector/ingest/domain-writer.ts";
import type { RowBuffers } from "@infrastructor/collector/ingest/row-buffers.ts";
import type { TransactionSql } from "postgres";
import type { Vm, VmsData } from "../schema.ts";
import { vmMetrics } from "./tables.ts";

/** The time series this writer appends to, from its declaration (tables.ts): columns, line order. */
export const VM_METRICS = timeSeriesTable(vmMetrics);

const SOURCES = ["libvirt", "proxmox"] as const;

export const vmsWriter: DomainWriter<"vms"> = {
  domain: "vms",
  tables: [VM_METRICS],
  rowCount: (data) => sampled(data).length,
  addRows: addVmRows,
  writeState: writeVmsState,
};

/** Running guests with a usage figure: the rows of vm_metrics. */
function sampled(data: VmsData): { source: string; vm: Vm }[] {
  return SOURCES.flatMap((source) => {
    const result = data[source];
    if (!result?.ok) return [];
    return result.value
      .filter((vm) => vm.state === "running" && (vm.cpu_pct !== null || vm.memory_bytes !== null))
      .map((vm) => ({ source, vm }));
  });
}

export function addVmRows(out: RowBuffers, deviceId: number, collectedAt: Date, data: VmsData): void {
  const rows = sampled(data);
  if (rows.length === 0) return;
  const time = collectedAt.toISOString();
  let lines = "";
  for (const { source, vm } of rows) {
    lines += VM_METRICS.line({
      time,
      device_id: deviceId,
      source,
      vm_id: vm.id,
      cpu_pct: vm.cpu_pct,
      memory_bytes: vm.memory_bytes,
    });
  }
  out.append("vm_metrics", collectedAt.getTime(), lines, rows.length);
}

/**
 * vm_sources first, guarded by collected_at; then, for the devices it wrote, each source that
 * answered replaces its guests (an absent source has none; a failed one keeps the old rows).
 */
export async function writeVmsState(tx: TransactionSql, items: StateItem<"vms">[]): Promise<void> {
  if (items.length === 0) return;
  const states = items.map(({ deviceId, collectedAt, data }) => ({
    device_id: deviceId,
    collected_at: collectedAt.toISOString(),
    libvirt_status: statusOf(data.libvirt),
    libvirt_error:
      data.libvirt?.ok === false ? `${data.libvirt.error.code}: ${data.libvirt.error.message}` : null,
    proxmox_status: statusOf(data.proxmox),
    proxmox_error:
      data.proxmox?.ok === false ? `${data.proxmox.error.code}: ${data.proxmox.error.message}` : null,
  }));
  const written = await tx<{ device_id: number }[]>`
    INSERT INTO vm_sources AS s
    SELECT * FROM json_to_recordset(${JSON.stringify(states)}::text::json) AS v(device_id integer,
      collected_at timestamptz, libvirt_status text, libvirt_error text, proxmox_status text, proxmox_error text)
    ORDER BY device_id
    ON CONFLICT (device_id) DO UPDATE SET
      collected_at = EXCLUDED.collected_at, libvirt_status = EXCLUDED.libvirt_status,
      libvirt_error = EXCLUDED.libvirt_error, proxmox_status = EXCLUDED.proxmox_status,
      proxmox_error = EXCLUDED.proxmox_error
    WHERE s.collected_at < EXCLUDED.collected_at
    RETURNING s.device_id`;
  const fresh = new Set(written.map((r) => r.device_id));
  for (const source of SOURCES) {
    const replace = items.filter((i) => fresh.has(i.deviceId) && i.data[source]?.ok !== false);
    if (replace.length === 0) continue;
    await tx`DELETE FROM vms WHERE source = ${source} AND device_id = ANY(${replace.map((i) => i.deviceId)}::int[])`;
    const rows = replace.flatMap(({ deviceId, data }) => {
      const result = data[source];
      return result?.ok
        ? result.value.map((vm) => ({ device_id: deviceId, source, vm_id: vm.id, ...vm }))
        : [];
    });
    if (rows.length === 0) continue;
    await tx`
      INSERT INTO vms (device_id, source, vm_id, name, type, state, state_detail, vcpus, memory_bytes,
        memory_max_bytes, uptime_s, cpu_pct, node)
      SELECT device_id, source, vm_id, name, type, state, state_detail, vcpus, memory_bytes,
        memory_max_bytes, uptime_s, cpu_pct, node
      FROM json_to_recordset(${JSON.stringify(rows)}::text::json) AS r(device_id integer, source text,
        vm_id text, name text, type text, state text, state_detail text, vcpus integer, memory_bytes bigint,
        memory_max_bytes bigint, uptime_s double precision, cpu_pct real, node text)
      ON CONFLICT DO NOTHING`;
  }
}

function statusOf(result: VmsData["libvirt"]): "ok" | "failed" | "absent" {
  return result === null ? "absent" : result.ok ? "ok" : "failed";
}
