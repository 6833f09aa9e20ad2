import {
  type DomainWriter,
  type StateItem,
  timeSeriesTable,
} from "@infrastructor/collector/ingest/domain-writer.ts";
import type { RowBuffers } from "@infrastructor/collector/ingest/row-buffers.ts";
import type { TransactionSql } from "postgres";
import type { UpdatesData } from "../schema.ts";
import { updateCounts } from "./tables.ts";

/** The time series this writer appends to, from its declaration (tables.ts): columns, line order. */
export const UPDATES_TABLES = {
  update_counts: timeSeriesTable(updateCounts),
};

export const updatesWriter: DomainWriter<"updates"> = {
  domain: "updates",
  tables: Object.values(UPDATES_TABLES),
  rowCount: (data) => (data.pending.ok ? 1 : 0),
  addRows: addUpdatesRows,
  writeState: writeUpdatesState,
};

/** One counts row per listing that worked; a failed listing has no counts to graph. */
export function addUpdatesRows(
  out: RowBuffers,
  deviceId: number,
  collectedAt: Date,
  data: UpdatesData,
): void {
  if (!data.pending.ok) return;
  const { pending, security } = counts(data);
  out.append(
    "update_counts",
    collectedAt.getTime(),
    UPDATES_TABLES.update_counts.line({
      time: collectedAt.toISOString(),
      device_id: deviceId,
      pending_count: pending,
      security_count: security,
    }),
  );
}

function counts(data: UpdatesData): { pending: number; security: number } {
  if (!data.pending.ok) return { pending: 0, security: 0 };
  const { packages } = data.pending;
  return { pending: packages.length, security: packages.filter((p) => p.kind === "security").length };
}

/**
 * update_status, then package_updates for the devices whose status row took this envelope (a replay
 * of an older one changes nothing). A failed listing keeps the last good packages and counts.
 * Documents go in as one JSON parameter each: PostgreSQL parses them once (see latest-state.ts).
 */
export async function writeUpdatesState(tx: TransactionSql, items: StateItem<"updates">[]): Promise<void> {
  if (items.length === 0) return;
  const statuses = items.map(({ deviceId, collectedAt, data }) => {
    const ok = data.pending.ok;
    const { pending, security } = counts(data);
    return {
      device_id: deviceId,
      collected_at: collectedAt.toISOString(),
      manager: data.manager,
      pending_checked_at: ok ? collectedAt.toISOString() : null,
      pending_count: ok ? pending : null,
      security_count: ok ? security : null,
      error_code: data.pending.ok ? null : data.pending.error.code,
      error_message: data.pending.ok ? null : data.pending.error.message,
      reboot_required: data.reboot.required,
      reboot_packages: data.reboot.packages,
    };
  });
  const taken = await tx<{ device_id: number }[]>`
    INSERT INTO update_status (device_id, collected_at, manager, pending_checked_at, pending_count,
      security_count, error_code, error_message, reboot_required, reboot_packages)
    SELECT * FROM json_to_recordset(${JSON.stringify(statuses)}::text::json) AS r(device_id int,
      collected_at timestamptz, manager text, pending_checked_at timestamptz, pending_count int,
      security_count int, error_code text, error_message text, reboot_required text, reboot_packages text[])
    ON CONFLICT (device_id) DO UPDATE SET
      collected_at = EXCLUDED.collected_at,
      manager = EXCLUDED.manager,
      pending_checked_at = coalesce(EXCLUDED.pending_checked_at, update_status.pending_checked_at),
      pending_count = coalesce(EXCLUDED.pending_count, update_status.pending_count),
      security_count = coalesce(EXCLUDED.security_count, update_status.security_count),
      error_code = EXCLUDED.error_code,
      error_message = EXCLUDED.error_message,
      reboot_required = EXCLUDED.reboot_required,
      reboot_packages = EXCLUDED.reboot_packages
    WHERE update_status.collected_at <= EXCLUDED.collected_at
    RETURNING device_id`;
  const took = new Set(taken.map((r) => r.device_id));
  const replace = items.filter((i) => took.has(i.deviceId) && i.data.pending.ok);
  if (replace.length === 0) return;
  const ids = replace.map((i) => i.deviceId);
  await tx`DELETE FROM package_updates WHERE device_id = ANY(${ids}::int[])`;
  // A package listed twice (it should not be) would make one INSERT hit its own row: the last wins.
  const unique = new Map<string, object>();
  for (const { deviceId, data } of replace) {
    if (!data.pending.ok) continue;
    for (const p of data.pending.packages)
      unique.set(`${deviceId}\u0000${p.name}\u0000${p.arch}`, { device_id: deviceId, ...p });
  }
  const packages = [...unique.values()];
  if (packages.length === 0) return;
  await tx`
    INSERT INTO package_updates (device_id, name, arch, current_version, available_version, repository, kind)
    SELECT * FROM json_to_recordset(${JSON.stringify(packages)}::text::json) AS r(device_id int, name text,
      arch text, current_version text, available_version text, repository text, kind text)`;
}
