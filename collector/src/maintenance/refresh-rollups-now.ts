import type { Sql } from "postgres";
import type { Flavor } from "../../../sql/src/flavor.ts";
import { type RefreshRange, ROLLUPS, refreshRollups } from "./refresh-rollups.ts";

/**
 * TimescaleDB's refresh is a procedure (CALL, never SELECT) and refuses to run inside a transaction
 * block: sent alone, outside sql.begin(). Its window arguments are typed "any", so each is cast.
 */
export const REFRESH_CONTINUOUS_AGGREGATE =
  "CALL refresh_continuous_aggregate($1::regclass, $2::timestamptz, $3::timestamptz)";

const WIDTH_MS: Record<string, number> = { "1 hour": 3_600_000, "1 day": 86_400_000 };

export interface AggregateRefresh {
  view: string;
  from: Date;
  to: Date;
}

/**
 * The refresh windows for [from, to) on TimescaleDB: widened to whole buckets, so every bucket that
 * overlaps the range is recomputed (as the plain-PostgreSQL refresh does) and the window is never
 * smaller than one bucket (TimescaleDB refuses "refresh window too small"). Buckets of an hour and a
 * day start at multiples of their width from the epoch (time_bucket's origin 2000-01-03 is one).
 */
export function aggregateRefreshes(range: RefreshRange): AggregateRefresh[] {
  if (range.from.getTime() >= range.to.getTime()) return [];
  return Object.values(ROLLUPS).map(({ table, width }) => {
    const ms = WIDTH_MS[width];
    if (ms === undefined) throw new Error(`no bucket width known for ${width}`);
    const from = Math.floor(range.from.getTime() / ms) * ms;
    const to = Math.ceil(range.to.getTime() / ms) * ms;
    return { view: table, from: new Date(from), to: new Date(to) };
  });
}

/**
 * Brings the hourly and daily rollups up to date over `range` now, on either flavor: the continuous
 * aggregates' own refresh on TimescaleDB, the collector's recomputation on plain PostgreSQL. For tests
 * and benchmarks that load history and then read the rollups; the collector's schedule keeps them
 * otherwise. Returns the flavor it refreshed.
 */
export async function refreshRollupsNow(sql: Sql, range: RefreshRange): Promise<Flavor> {
  const [row] = await sql<{ flavor: Flavor }[]>`SELECT flavor FROM schema_migrations LIMIT 1`;
  const flavor = row?.flavor ?? "postgres";
  if (flavor === "postgres") {
    await refreshRollups(sql, range);
    return flavor;
  }
  for (const r of aggregateRefreshes(range)) {
    await sql.unsafe(REFRESH_CONTINUOUS_AGGREGATE, [r.view, r.from, r.to]);
  }
  return flavor;
}
