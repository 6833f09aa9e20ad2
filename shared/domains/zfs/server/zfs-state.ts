import type { StateItem } from "@infrastructor/collector/ingest/domain-writer.ts";
import { poolSummaries } from "@infrastructor/domains/zfs/views.ts";
import { columns, recordset } from "@infrastructor/lib/db/recordset.ts";
import type { TransactionSql } from "postgres";
import type { ZfsData } from "../schema.ts";
import { zfsDatasets, zfsPools, zfsSnapshots, zfsSync } from "./tables.ts";

/**
 * zfs_sync first: only the devices whose row takes this envelope (no newer one written) go on, so a
 * replay of an older envelope changes nothing. Then, per source that worked: pools and datasets are
 * replaced whole (a few rows); snapshots are kept as a set (new ones inserted, gone ones deleted, used
 * and refer updated where changed), because hosts keep thousands and most persist across listings.
 * A source that failed, or snapshots not listed in this poll, leaves its table as it was.
 */
export async function writeZfsState(tx: TransactionSql, items: StateItem<"zfs">[]): Promise<void> {
  if (items.length === 0) return;
  const sync = items.map((i) => ({
    device_id: i.deviceId,
    collected_at: i.collectedAt.toISOString(),
    snapshots_at: i.data.snapshots?.ok ? i.collectedAt.toISOString() : null,
  }));
  const taken = await tx<{ device_id: number }[]>`
    INSERT INTO zfs_sync (${columns(tx, zfsSync)})
    SELECT * FROM json_to_recordset(${JSON.stringify(sync)}::text::json)
      AS r(${recordset(tx, zfsSync)})
    ON CONFLICT (device_id) DO UPDATE SET
      collected_at = EXCLUDED.collected_at,
      snapshots_at = coalesce(EXCLUDED.snapshots_at, zfs_sync.snapshots_at)
    WHERE zfs_sync.collected_at <= EXCLUDED.collected_at
    RETURNING device_id`;
  const took = new Set(taken.map((r) => r.device_id));
  for (const item of items) {
    if (!took.has(item.deviceId)) continue;
    await writePools(tx, item);
    await writeDatasets(tx, item);
    await writeSnapshots(tx, item);
  }
}

async function writePools(
  tx: TransactionSql,
  { deviceId, collectedAt, data }: StateItem<"zfs">,
): Promise<void> {
  if (!data.pools.ok && !data.status.ok) return;
  const rows = poolRows(data).map((row) => ({
    ...row,
    device_id: deviceId,
    updated_at: collectedAt.toISOString(),
  }));
  // A pool whose line or block the agent could not read (an item error) keeps its stored row: it
  // was seen, not found gone.
  const unread = unreadNames(data.pools, data.status);
  await tx`DELETE FROM zfs_pools WHERE device_id = ${deviceId} AND NOT (pool = ANY(${unread}::text[]))`;
  if (rows.length === 0) return;
  await tx`
    INSERT INTO zfs_pools (device_id, pool, health, size_bytes, alloc_bytes, free_bytes, fragmentation_pct,
      capacity_pct, dedup_ratio, state, status_text, action_text, scan_function, scan_state, scan_done_pct,
      scan_repaired_bytes, scan_errors, scan_at_local, read_errors, write_errors, cksum_errors, errors_text,
      data_errors, error_files_total, vdevs, updated_at)
    SELECT device_id, pool, health, size_bytes, alloc_bytes, free_bytes, fragmentation_pct, capacity_pct,
      dedup_ratio, state, status_text, action_text, scan_function, scan_state, scan_done_pct,
      scan_repaired_bytes, scan_errors, scan_at_local, read_errors, write_errors, cksum_errors, errors_text,
      data_errors, error_files_total, vdevs, updated_at
    FROM json_to_recordset(${JSON.stringify(rows)}::text::json) AS r(${recordset(tx, zfsPools)})
    ON CONFLICT (device_id, pool) DO UPDATE SET
      health = EXCLUDED.health, size_bytes = EXCLUDED.size_bytes, alloc_bytes = EXCLUDED.alloc_bytes,
      free_bytes = EXCLUDED.free_bytes, fragmentation_pct = EXCLUDED.fragmentation_pct,
      capacity_pct = EXCLUDED.capacity_pct, dedup_ratio = EXCLUDED.dedup_ratio, state = EXCLUDED.state,
      status_text = EXCLUDED.status_text, action_text = EXCLUDED.action_text,
      scan_function = EXCLUDED.scan_function, scan_state = EXCLUDED.scan_state,
      scan_done_pct = EXCLUDED.scan_done_pct, scan_repaired_bytes = EXCLUDED.scan_repaired_bytes,
      scan_errors = EXCLUDED.scan_errors, scan_at_local = EXCLUDED.scan_at_local,
      read_errors = EXCLUDED.read_errors, write_errors = EXCLUDED.write_errors,
      cksum_errors = EXCLUDED.cksum_errors, errors_text = EXCLUDED.errors_text,
      data_errors = EXCLUDED.data_errors, error_files_total = EXCLUDED.error_files_total,
      vdevs = EXCLUDED.vdevs, updated_at = EXCLUDED.updated_at`;
}

/** Names of the items a source could not read: present on the host, so never deleted as gone. */
function unreadNames(
  ...sources: ({ ok: boolean; item_errors?: { name: string | null }[] } | null)[]
): string[] {
  return sources.flatMap((s) =>
    s?.ok ? (s.item_errors ?? []).flatMap((e) => (e.name === null ? [] : [e.name])) : [],
  );
}

/**
 * The pools either command named, with what each said (null for the one that failed). A pool named
 * only by an unreadable status block gets no row here: its stored row stays (see writePools).
 */
function poolRows(data: ZfsData): Record<string, unknown>[] {
  const named = poolSummaries(data).filter((x) => x.list !== null || x.status !== null);
  return named.map(({ name: pool, list: p, status: s, errors: e }) => {
    return {
      pool,
      health: p?.health ?? null,
      size_bytes: p?.size_bytes ?? null,
      alloc_bytes: p?.alloc_bytes ?? null,
      free_bytes: p?.free_bytes ?? null,
      fragmentation_pct: p?.fragmentation_pct ?? null,
      capacity_pct: p?.capacity_pct ?? null,
      dedup_ratio: p?.dedup_ratio ?? null,
      state: s?.state ?? null,
      status_text: s?.status_text ?? null,
      action_text: s?.action_text ?? null,
      scan_function: s?.scan.function ?? null,
      scan_state: s?.scan.state ?? null,
      scan_done_pct: s?.scan.done_pct ?? null,
      scan_repaired_bytes: s?.scan.repaired_bytes ?? null,
      scan_errors: s?.scan.errors ?? null,
      scan_at_local: s?.scan.at_local ?? null,
      read_errors: e?.read ?? null,
      write_errors: e?.write ?? null,
      cksum_errors: e?.cksum ?? null,
      errors_text: s?.errors_text ?? null,
      data_errors: s?.data_errors ?? null,
      error_files_total: s?.error_files_total ?? null,
      vdevs: s?.vdevs ?? null,
    };
  });
}

async function writeDatasets(
  tx: TransactionSql,
  { deviceId, collectedAt, data }: StateItem<"zfs">,
): Promise<void> {
  if (!data.datasets.ok) return;
  const unread = unreadNames(data.datasets);
  await tx`DELETE FROM zfs_datasets WHERE device_id = ${deviceId} AND NOT (name = ANY(${unread}::text[]))`;
  // One row per name (zfs never lists one twice; a message that did would otherwise fail the upsert).
  const unique = [...new Map(data.datasets.value.map((d) => [d.name, d])).values()];
  const rows = unique.map((d) => ({
    ...d,
    device_id: deviceId,
    pool: d.name.split("/")[0],
    updated_at: collectedAt.toISOString(),
  }));
  if (rows.length === 0) return;
  await tx`
    INSERT INTO zfs_datasets (device_id, name, pool, type, used_bytes, avail_bytes, refer_bytes,
      usedsnap_bytes, usedds_bytes, updated_at)
    SELECT device_id, name, pool, type, used_bytes, avail_bytes, refer_bytes, usedsnap_bytes, usedds_bytes,
      updated_at
    FROM json_to_recordset(${JSON.stringify(rows)}::text::json) AS r(${recordset(tx, zfsDatasets)})
    ON CONFLICT (device_id, name) DO UPDATE SET
      pool = EXCLUDED.pool, type = EXCLUDED.type, used_bytes = EXCLUDED.used_bytes,
      avail_bytes = EXCLUDED.avail_bytes, refer_bytes = EXCLUDED.refer_bytes,
      usedsnap_bytes = EXCLUDED.usedsnap_bytes, usedds_bytes = EXCLUDED.usedds_bytes,
      updated_at = EXCLUDED.updated_at`;
}

async function writeSnapshots(
  tx: TransactionSql,
  { deviceId, collectedAt, data }: StateItem<"zfs">,
): Promise<void> {
  if (!data.snapshots?.ok) return;
  const snapshots = data.snapshots.value;
  // Lines the agent could not read are snapshots it saw: they are not deleted.
  const names = [...snapshots.map((s) => s.name), ...unreadNames(data.snapshots)];
  if (data.snapshots.truncated === undefined) {
    await tx`DELETE FROM zfs_snapshots WHERE device_id = ${deviceId} AND NOT (name = ANY(${names}::text[]))`;
  } else {
    // The agent sent only the newest snapshots: older stored ones were left out, not destroyed.
    const oldest = new Date(Math.min(...snapshots.map((s) => s.created_s)) * 1000).toISOString();
    await tx`DELETE FROM zfs_snapshots WHERE device_id = ${deviceId} AND created_at >= ${oldest}::timestamptz
      AND NOT (name = ANY(${names}::text[]))`;
  }
  if (snapshots.length === 0) return;
  const rows = snapshots.map((s) => ({
    device_id: deviceId,
    name: s.name,
    dataset: s.name.slice(0, s.name.indexOf("@")),
    used_bytes: s.used_bytes,
    refer_bytes: s.refer_bytes,
    created_at: new Date(s.created_s * 1000).toISOString(),
    first_seen_at: collectedAt.toISOString(),
  }));
  await tx`
    INSERT INTO zfs_snapshots (${columns(tx, zfsSnapshots)})
    SELECT * FROM json_to_recordset(${JSON.stringify(rows)}::text::json) AS r(${recordset(tx, zfsSnapshots)})
    ON CONFLICT (device_id, name) DO UPDATE SET
      used_bytes = EXCLUDED.used_bytes,
      refer_bytes = EXCLUDED.refer_bytes
    WHERE (zfs_snapshots.used_bytes, zfs_snapshots.refer_bytes)
      IS DISTINCT FROM (EXCLUDED.used_bytes, EXCLUDED.refer_bytes)`;
}
