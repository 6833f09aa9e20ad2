import type { Store } from "@infrastructor/mcp/store/store.ts";
import { sql } from "kysely";
import type { ZfsSnapshot } from "../../../schema.ts";

export interface SnapshotRow {
  name: string;
  dataset: string;
  used_bytes: number;
  refer_bytes: number | null;
  created_at: Date;
}

/** `tank/data` selects tank/data and its children; `tank/data@snap` one snapshot. */
export function matchesDataset(filter: string | undefined, snapshot: string, dataset: string): boolean {
  if (filter === undefined) return true;
  if (filter.includes("@")) return snapshot === filter;
  return dataset === filter || dataset.startsWith(`${filter}/`);
}

/** The stored snapshot set of a device (zfs_snapshots, the newest listing), filtered. */
export function storedSnapshots(
  store: Store,
  deviceId: number,
  filter: string | undefined,
): Promise<SnapshotRow[]> {
  return store.guard("read snapshots", () => {
    let q = store.db
      .selectFrom("zfs_snapshots")
      .select(["name", "dataset", "used_bytes", "refer_bytes", "created_at"])
      .where("device_id", "=", deviceId);
    if (filter?.includes("@")) q = q.where("name", "=", filter);
    else if (filter !== undefined) {
      q = q.where((eb) =>
        eb.or([
          eb("dataset", "=", filter),
          eb(sql<boolean>`starts_with(dataset, ${`${filter}/`})`, "=", true),
        ]),
      );
    }
    return q.orderBy("created_at", "desc").orderBy("name").execute();
  });
}

/** A live listing as the stored rows look. */
export function snapshotRows(snapshots: readonly ZfsSnapshot[], filter: string | undefined): SnapshotRow[] {
  return snapshots
    .map((s) => ({
      name: s.name,
      dataset: s.name.slice(0, s.name.indexOf("@")),
      used_bytes: s.used_bytes,
      refer_bytes: s.refer_bytes,
      created_at: new Date(s.created_s * 1000),
    }))
    .filter((s) => matchesDataset(filter, s.name, s.dataset))
    .sort((a, b) => b.created_at.getTime() - a.created_at.getTime() || a.name.localeCompare(b.name));
}

export interface DatasetSnapshots {
  dataset: string;
  count: number;
  used_bytes: number;
  newest: string;
  newest_age_s: number;
  oldest: string;
  oldest_age_s: number;
}

/** Per dataset: how many, their space, the newest and oldest and their ages; most snapshots first. */
export function perDataset(rows: readonly SnapshotRow[], now: Date): DatasetSnapshots[] {
  const groups = new Map<string, SnapshotRow[]>();
  for (const r of rows) {
    const list = groups.get(r.dataset);
    if (list === undefined) groups.set(r.dataset, [r]);
    else list.push(r);
  }
  const age = (d: Date): number => Math.max(0, Math.round((now.getTime() - new Date(d).getTime()) / 1000));
  return [...groups]
    .map(([dataset, list]) => {
      const times = list.map((r) => new Date(r.created_at).getTime());
      const newest = new Date(Math.max(...times));
      const oldest = new Date(Math.min(...times));
      return {
        dataset,
        count: list.length,
        used_bytes: list.reduce((sum, r) => sum + r.used_bytes, 0),
        newest: newest.toISOString(),
        newest_age_s: age(newest),
        oldest: oldest.toISOString(),
        oldest_age_s: age(oldest),
      };
    })
    .sort((a, b) => b.count - a.count || a.dataset.localeCompare(b.dataset));
}
