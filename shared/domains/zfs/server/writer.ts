import { type DomainWriter, timeSeriesTable } from "@infrastructor/collector/ingest/domain-writer.ts";
import type { RowBuffers } from "@infrastructor/collector/ingest/row-buffers.ts";
import type { ZfsData } from "../schema.ts";
import { zfsArcMetrics, zfsPoolMetrics } from "./tables.ts";
import { errorTotals, statusByPool } from "./zfs-pools.ts";
import { writeZfsState } from "./zfs-state.ts";

/** The time series this writer appends to, from their declarations (tables.ts): columns, line order. */
export const ZFS_TABLES = {
  zfs_pool_metrics: timeSeriesTable(zfsPoolMetrics),
  zfs_arc_metrics: timeSeriesTable(zfsArcMetrics),
};

export const zfsWriter: DomainWriter<"zfs"> = {
  domain: "zfs",
  tables: Object.values(ZFS_TABLES),
  rowCount: (data) => (data.pools.ok ? data.pools.value.length : 0) + (data.arc.ok ? 1 : 0),
  addRows: addZfsRows,
  writeState: writeZfsState,
};

/** One row per pool of a `zpool list` that worked (its error counters from `zpool status`), one for the ARC. */
export function addZfsRows(out: RowBuffers, deviceId: number, collectedAt: Date, data: ZfsData): void {
  const ms = collectedAt.getTime();
  const time = collectedAt.toISOString();
  if (data.pools.ok && data.pools.value.length > 0) {
    const statuses = statusByPool(data);
    const line = ZFS_TABLES.zfs_pool_metrics.line;
    let lines = "";
    for (const p of data.pools.value) {
      const status = statuses.get(p.name);
      const e = errorTotals(status);
      // An UNAVAIL/FAULTED pool's sizes are null: its health is still a row.
      lines += line({
        time,
        device_id: deviceId,
        pool: p.name,
        health: p.health,
        size_bytes: p.size_bytes,
        alloc_bytes: p.alloc_bytes,
        free_bytes: p.free_bytes,
        capacity_pct: p.capacity_pct,
        fragmentation_pct: p.fragmentation_pct,
        read_errors: e.read_errors,
        write_errors: e.write_errors,
        cksum_errors: e.cksum_errors,
        data_errors: status?.data_errors,
      });
    }
    out.append("zfs_pool_metrics", ms, lines, data.pools.value.length);
  }
  if (data.arc.ok) {
    const a = data.arc.value;
    out.append(
      "zfs_arc_metrics",
      ms,
      ZFS_TABLES.zfs_arc_metrics.line({
        time,
        device_id: deviceId,
        size_bytes: a.size_bytes,
        target_bytes: a.target_bytes,
        min_bytes: a.min_bytes,
        max_bytes: a.max_bytes,
        hits: a.hits,
        misses: a.misses,
        mru_size_bytes: a.mru_size_bytes,
        mfu_size_bytes: a.mfu_size_bytes,
        l2_hits: a.l2_hits,
        l2_misses: a.l2_misses,
        l2_size_bytes: a.l2_size_bytes,
      }),
    );
  }
}
