import { copyNumber as n, copyText as t } from "@infrastructor/collector/ingest/copy-text.ts";
import type { DomainWriter, TimeSeriesTableSpec } from "@infrastructor/collector/ingest/domain-writer.ts";
import type { RowBuffers } from "@infrastructor/collector/ingest/row-buffers.ts";
import { poolSummaries } from "@infrastructor/domains/zfs/views.ts";
import type { ZfsData } from "../schema.ts";
import { writeZfsState } from "./zfs-state.ts";

export const ZFS_TABLES = {
  zfs_pool_metrics: {
    name: "zfs_pool_metrics",
    columns: [
      "time",
      "device_id",
      "pool",
      "health",
      "size_bytes",
      "alloc_bytes",
      "free_bytes",
      "capacity_pct",
      "fragmentation_pct",
      "read_errors",
      "write_errors",
      "cksum_errors",
      "data_errors",
    ],
  },
  zfs_arc_metrics: {
    name: "zfs_arc_metrics",
    columns: [
      "time",
      "device_id",
      "size_bytes",
      "target_bytes",
      "min_bytes",
      "max_bytes",
      "hits",
      "misses",
      "mru_size_bytes",
      "mfu_size_bytes",
      "l2_hits",
      "l2_misses",
      "l2_size_bytes",
    ],
  },
} as const satisfies Record<string, TimeSeriesTableSpec>;

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
  const key = `${collectedAt.toISOString()}\t${deviceId}`;
  if (data.pools.ok && data.pools.value.length > 0) {
    // Each listed pool's error counts from the one list x status join (views.ts).
    const summaries = new Map(poolSummaries(data).map((s) => [s.name, s]));
    let lines = "";
    for (const p of data.pools.value) {
      const s = summaries.get(p.name);
      const e = s?.errors;
      // An UNAVAIL/FAULTED pool's sizes are null: its health is still a row.
      lines += `${key}\t${t(p.name)}\t${t(p.health)}\t${n(p.size_bytes)}\t${n(p.alloc_bytes)}\t${n(p.free_bytes)}\t${n(p.capacity_pct)}\t${n(p.fragmentation_pct)}\t${n(e?.read)}\t${n(e?.write)}\t${n(e?.cksum)}\t${n(s?.status?.data_errors)}\n`;
    }
    out.append("zfs_pool_metrics", ms, lines, data.pools.value.length);
  }
  if (data.arc.ok) {
    const a = data.arc.value;
    out.append(
      "zfs_arc_metrics",
      ms,
      `${key}\t${a.size_bytes}\t${a.target_bytes}\t${a.min_bytes}\t${a.max_bytes}\t${a.hits}\t${a.misses}\t${n(a.mru_size_bytes)}\t${n(a.mfu_size_bytes)}\t${n(a.l2_hits)}\t${n(a.l2_misses)}\t${n(a.l2_size_bytes)}\n`,
    );
  }
}
