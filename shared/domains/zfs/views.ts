import type { ItemError } from "@infrastructor/shared/schemas/source-result.ts";
import type { ZfsData, ZfsPool, ZfsPoolStatus, ZfsVdev } from "./schema.ts";

/**
 * Pure views over the `zfs` domain's data, the one definition the ingest writer (the tables Grafana
 * reads), the MCP tools and the fleet health rules share, so they cannot disagree about a pool.
 */

/**
 * A pool this full (capacity_pct, `zpool list`'s CAP) is worth a warning: ZFS allocates more slowly as
 * free space fragments. The default of MCP_DISK_WARN_PCT, which judges pools and mounts alike.
 */
export const POOL_FULL_PCT = 90;

/** Member states that need no attention: in use (ONLINE), a spare ready (AVAIL) or in service (INUSE). */
export const FINE_MEMBER_STATES: readonly string[] = ["ONLINE", "AVAIL", "INUSE"];

/** A vdev row's state needs no attention (null: a section header, which has none). */
export function memberFine(state: string | null): boolean {
  return state === null || FINE_MEMBER_STATES.includes(state);
}

export interface ErrorCounts {
  read: number;
  write: number;
  cksum: number;
}

/** One pool as both commands saw it, with the counts and the verdict every consumer uses. */
export interface PoolSummary {
  name: string;
  /** Its `zpool list` line; null when that command failed or did not name it. */
  list: ZfsPool | null;
  /** Its `zpool status` block; null when that command failed or did not name it. */
  status: ZfsPoolStatus | null;
  /** Why its status block could not be read (an item error), if so. */
  unread: ItemError["error"] | null;
  /** zpool status's state, else zpool list's health, else UNKNOWN. */
  state: string;
  /** READ/WRITE/CKSUM summed over the leaf devices; null without a status block. */
  device_errors: ErrorCounts | null;
  /** The pool row's own counters: I/O that failed at the pool, past every redundancy; null without status. */
  pool_errors: ErrorCounts | null;
  /**
   * The pool's errors as one set, what the tables store and the fleet check weighs: per counter the
   * larger of device_errors and pool_errors. Never their sum (one failure counted twice); never the
   * devices' alone, which would read 0 for failures only the vdev and pool rows counted (a pool whose
   * disks all show 0 yet whose raidz row counts, as in openzfs/zfs#8480).
   */
  errors: ErrorCounts | null;
  /** capacity_pct at or over the threshold (never for a pool without a capacity, e.g. UNAVAIL). */
  full: boolean;
}

/**
 * Leaves of the vdev tree (disks, files, a spare in use): the rows whose next row is not deeper.
 * Section headers (no state) and the pool row are not devices.
 */
export function leafVdevs(vdevs: readonly ZfsVdev[]): ZfsVdev[] {
  return vdevs.filter((v, i) => v.depth > 0 && v.state !== null && !((vdevs[i + 1]?.depth ?? 0) > v.depth));
}

/**
 * The device error totals of a pool: the leaves' counters summed. Each row of the tree counts the
 * errors of the I/O issued to it (OpenZFS vdev_stat_update; "errors are not additive"): a read a
 * mirror could not repair is counted on the disk, again on the mirror and again on the pool row, so
 * summing every row counts one failure up to three times. The leaves count each device's own.
 */
export function deviceErrors(status: ZfsPoolStatus | null | undefined): ErrorCounts | null {
  if (status === null || status === undefined) return null;
  return sumCounts(leafVdevs(status.vdevs));
}

/** The pool row's own READ/WRITE/CKSUM (depth 0 of the data section); null without a status block. */
export function poolErrors(status: ZfsPoolStatus | null | undefined): ErrorCounts | null {
  if (status === null || status === undefined) return null;
  return sumCounts(status.vdevs.filter((v) => v.depth === 0 && v.section === "data").slice(0, 1));
}

/** Per counter the larger of two sets; null when neither is known. */
export function largerCounts(a: ErrorCounts | null, b: ErrorCounts | null): ErrorCounts | null {
  if (a === null || b === null) return a ?? b;
  return {
    read: Math.max(a.read, b.read),
    write: Math.max(a.write, b.write),
    cksum: Math.max(a.cksum, b.cksum),
  };
}

function sumCounts(rows: readonly ZfsVdev[]): ErrorCounts {
  const counts = { read: 0, write: 0, cksum: 0 };
  for (const v of rows) {
    counts.read += v.read_errors ?? 0;
    counts.write += v.write_errors ?? 0;
    counts.cksum += v.cksum_errors ?? 0;
  }
  return counts;
}

/** At or over the threshold; a pool without a capacity (UNAVAIL, FAULTED) is judged by its state instead. */
export function poolFull(pool: Pick<ZfsPool, "capacity_pct"> | null, fullPct: number): boolean {
  return pool?.capacity_pct != null && pool.capacity_pct >= fullPct;
}

/** Pools whose `zpool status` block the agent could not read, by name, with why. */
export function unreadStatusBlocks(data: ZfsData): Map<string, ItemError["error"]> {
  const errors = data.status.ok ? (data.status.item_errors ?? []) : [];
  return new Map(errors.flatMap((e) => (e.name === null ? [] : [[e.name, e.error] as const])));
}

/**
 * The `zpool list` x `zpool status` join: every pool either command named or whose status block could
 * not be read, in the order they named them (list first).
 */
export function poolSummaries(data: ZfsData, fullPct: number = POOL_FULL_PCT): PoolSummary[] {
  const listed = new Map(data.pools.ok ? data.pools.value.map((p) => [p.name, p]) : []);
  const statuses = new Map(data.status.ok ? data.status.value.map((s) => [s.name, s]) : []);
  const unread = unreadStatusBlocks(data);
  const names = new Set([...listed.keys(), ...statuses.keys(), ...unread.keys()]);
  return [...names].map((name) => {
    const list = listed.get(name) ?? null;
    const status = statuses.get(name) ?? null;
    return {
      name,
      list,
      status,
      unread: unread.get(name) ?? null,
      state: status?.state ?? list?.health ?? "UNKNOWN",
      device_errors: deviceErrors(status),
      pool_errors: poolErrors(status),
      errors: largerCounts(deviceErrors(status), poolErrors(status)),
      full: poolFull(list, fullPct),
    };
  });
}
