import {
  type DomainWriter,
  type StateItem,
  timeSeriesTable,
} from "@infrastructor/collector/ingest/domain-writer.ts";
import type { RowBuffers } from "@infrastructor/collector/ingest/row-buffers.ts";
import type { TransactionSql } from "postgres";
import type { BackupsData } from "../schema.ts";
import { backupProbeResults } from "./tables.ts";

/** The time series this writer appends to, from its declaration (tables.ts): columns, line order. */
export const BACKUPS_TABLES = {
  backup_probe_results: timeSeriesTable(backupProbeResults),
};

export const backupsWriter: DomainWriter<"backups"> = {
  domain: "backups",
  tables: Object.values(BACKUPS_TABLES),
  rowCount: (data) => data.probes.length,
  addRows: addBackupsRows,
  writeState: writeBackupsState,
};

/** One row per probe per poll: its status and age then. */
export function addBackupsRows(
  out: RowBuffers,
  deviceId: number,
  collectedAt: Date,
  data: BackupsData,
): void {
  if (data.probes.length === 0) return;
  const time = collectedAt.toISOString();
  const line = BACKUPS_TABLES.backup_probe_results.line;
  let lines = "";
  for (const p of data.probes) {
    lines += line({
      time,
      device_id: deviceId,
      name: p.name,
      kind: p.kind,
      status: p.status,
      age_s: p.age_s,
      size_bytes: p.size_bytes,
      item_count: p.item_count,
      error_code: p.error?.code,
    });
  }
  out.append("backup_probe_results", collectedAt.getTime(), lines, data.probes.length);
}

/**
 * backup_sync first, so only devices whose newest envelope this is go on (a replay of an older one changes
 * nothing); then their probe rows are replaced whole: a probe removed from the config disappears.
 */
export async function writeBackupsState(tx: TransactionSql, items: StateItem<"backups">[]): Promise<void> {
  if (items.length === 0) return;
  const sync = items.map((i) => ({ device_id: i.deviceId, collected_at: i.collectedAt.toISOString() }));
  const taken = await tx<{ device_id: number }[]>`
    INSERT INTO backup_sync (device_id, collected_at)
    SELECT * FROM json_to_recordset(${JSON.stringify(sync)}::text::json) AS r(device_id int, collected_at timestamptz)
    ON CONFLICT (device_id) DO UPDATE SET collected_at = EXCLUDED.collected_at
    WHERE backup_sync.collected_at <= EXCLUDED.collected_at
    RETURNING device_id`;
  const took = new Set(taken.map((r) => r.device_id));
  const replace = items.filter((i) => took.has(i.deviceId));
  if (replace.length === 0) return;
  await tx`DELETE FROM backup_probes WHERE device_id = ANY(${replace.map((i) => i.deviceId)}::int[])`;
  const rows = replace.flatMap(({ deviceId, collectedAt, data }) =>
    data.probes.map((p) => ({
      device_id: deviceId,
      name: p.name,
      kind: p.kind,
      status: p.status,
      max_age_h: p.max_age_h,
      last_success_at: p.last_success_at,
      age_s: p.age_s,
      size_bytes: p.size_bytes,
      item_count: p.item_count,
      error_code: p.error?.code ?? null,
      error_message: p.error?.message ?? null,
      checked_at: collectedAt.toISOString(),
    })),
  );
  if (rows.length === 0) return;
  await tx`
    INSERT INTO backup_probes (device_id, name, kind, status, max_age_h, last_success_at, age_s, size_bytes,
      item_count, error_code, error_message, checked_at)
    SELECT * FROM json_to_recordset(${JSON.stringify(rows)}::text::json) AS r(device_id int, name text, kind text,
      status text, max_age_h real, last_success_at timestamptz, age_s double precision, size_bytes bigint,
      item_count bigint, error_code text, error_message text, checked_at timestamptz)`;
}
