import type { ComposeContainer, RestartRise } from "@infrastructor/domains/docker/server/health.ts";
import { LOG_PREFILTER, LOG_WORDS, type LogLine } from "@infrastructor/domains/logs/server/health.ts";
import { sql } from "kysely";
import type { Store } from "../../store/store.ts";

/**
 * What the fleet health check reads from the stored history (not from latest_state): log lines of the
 * window, each mount's growth, restart counts over the samples, compose projects with a container
 * down, backup probes that never succeeded. One query each for the whole fleet, grouped by device.
 */

/** At most this many matching log lines per check: a storm of I/O errors is counted from its newest. */
const MAX_LOG_LINES = 5000;

function byDevice<T extends { device_id: number }>(rows: readonly T[]): Map<number, Omit<T, "device_id">[]> {
  const out = new Map<number, Omit<T, "device_id">[]>();
  for (const { device_id, ...rest } of rows) {
    const list = out.get(device_id) ?? [];
    list.push(rest);
    out.set(device_id, list);
  }
  return out;
}

/** Log lines of the window that may be an OOM kill or a kernel I/O error (health-logs.ts decides). */
export async function kernelLogLines(
  store: Store,
  ids: readonly number[],
  since: Date,
): Promise<Map<number, LogLine[]>> {
  if (ids.length === 0) return new Map();
  const rows = await store.guard("find OOM and I/O errors in logs", () =>
    store.db
      .selectFrom("logs")
      .select(["device_id", "time", "message"])
      .where("device_id", "in", [...ids])
      .where("time", ">=", since)
      // The same expression as the text index's, so PostgreSQL can use it; then the exact patterns.
      .where(sql<boolean>`to_tsvector('simple', message) @@ to_tsquery('simple', ${LOG_WORDS})`)
      .where(sql<boolean>`message ~ ${LOG_PREFILTER}`)
      .orderBy("time", "desc")
      .limit(MAX_LOG_LINES)
      .execute(),
  );
  return byDevice(rows.map((r) => ({ device_id: r.device_id, time: new Date(r.time), message: r.message })));
}

/** A mount's least-squares growth over the window and where it stands now. */
export interface MountGrowth {
  mountpoint: string;
  device: string;
  slope_bytes_per_s: number;
  samples: number;
  first_at: Date;
  last_at: Date;
  free_bytes: number;
  size_bytes: number;
}

/** The growth of a mount is fitted to at most this many samples of the window, evenly spread. */
export const GROWTH_POINTS = 24;

/**
 * Mounts that grew over the window: the least-squares slope (PostgreSQL's regr_slope) of used bytes on
 * time, from at least 3 samples spanning 30 minutes (fewer cannot tell growth from a one-off write).
 * The samples are the first at or after each of GROWTH_POINTS evenly spaced instants and the newest,
 * each found through the primary key (device_id, mountpoint, time): a fleet's day of 15 s samples is
 * millions of rows, and reading them all took seconds (measured on the loaded 2-core test machine,
 * 200 devices x 2 mounts x 24 h of 15 s samples = 2.3 M rows: 11 to 24 s for all rows, 0.7 s for 48
 * index probes per mount, 9 to 20 ms with only the mounts that could fill fitted). The mounts are
 * those of each device's latest system sample, and only those whose first and newest samples of the
 * window say they could fill within three times the horizon.
 */
export async function mountGrowth(
  store: Store,
  ids: readonly number[],
  since: Date,
  now: Date,
  withinDays: number,
): Promise<Map<number, MountGrowth[]>> {
  if (ids.length === 0) return new Map();
  const list = sql.join([...ids]);
  const stepMs = Math.max(1, Math.floor((now.getTime() - since.getTime()) / GROWTH_POINTS));
  const result = await store.guard("disk growth", () =>
    sql<Omit<MountGrowth, "first_at" | "last_at"> & { device_id: number; first_at: Date; last_at: Date }>`
      WITH listed AS (
        SELECT l.device_id, m #>> '{}' AS mountpoint
        FROM latest_state l, jsonb_path_query(l.payload, '$.mounts[*].mountpoint') AS m
        WHERE l.domain = 'system' AND l.device_id IN (${list})
      ), ends AS (
        SELECT m.device_id, m.mountpoint, a.time AS t0, a.used_bytes AS u0, b.time AS t1,
          b.used_bytes AS u1, b.free_bytes AS f1
        FROM listed m,
        LATERAL (SELECT time, used_bytes FROM disk_usage u WHERE u.device_id = m.device_id
          AND u.mountpoint = m.mountpoint AND u.time >= ${since} ORDER BY u.time LIMIT 1) a,
        LATERAL (SELECT time, used_bytes, free_bytes FROM disk_usage u WHERE u.device_id = m.device_id
          AND u.mountpoint = m.mountpoint AND u.time >= ${since} ORDER BY u.time DESC LIMIT 1) b
      ), mounts AS (
        -- Only mounts whose first and newest samples of the window grew fast enough to fill within
        -- three times the horizon are fitted: most mounts cost two index probes, not GROWTH_POINTS.
        SELECT device_id, mountpoint FROM ends
        WHERE u1 > u0 AND t1 > t0
          AND f1 / ((u1 - u0)::float8 / extract(epoch FROM t1 - t0)) < ${withinDays * 3 * 86_400}
      ), picked AS (
        SELECT m.device_id, m.mountpoint, p.*
        FROM mounts m, generate_series(0, ${GROWTH_POINTS - 1}) AS k,
        LATERAL (
          SELECT u.time, u.used_bytes, u.free_bytes, u.size_bytes, u.device FROM disk_usage u
          WHERE u.device_id = m.device_id AND u.mountpoint = m.mountpoint
            AND u.time >= ${since}::timestamptz + k * ${`${stepMs} milliseconds`}::interval
          ORDER BY u.time LIMIT 1
        ) p
        UNION
        SELECT m.device_id, m.mountpoint, p.*
        FROM mounts m,
        LATERAL (
          SELECT u.time, u.used_bytes, u.free_bytes, u.size_bytes, u.device FROM disk_usage u
          WHERE u.device_id = m.device_id AND u.mountpoint = m.mountpoint AND u.time >= ${since}
          ORDER BY u.time DESC LIMIT 1
        ) p
      )
      SELECT device_id, mountpoint,
        (array_agg(device ORDER BY time DESC))[1] AS device,
        regr_slope(used_bytes::float8, extract(epoch FROM time)) AS slope_bytes_per_s,
        count(*)::int AS samples, min(time) AS first_at, max(time) AS last_at,
        (array_agg(free_bytes ORDER BY time DESC))[1]::float8 AS free_bytes,
        (array_agg(size_bytes ORDER BY time DESC))[1]::float8 AS size_bytes
      FROM picked
      GROUP BY device_id, mountpoint
      HAVING count(*) >= 3 AND max(time) - min(time) >= interval '30 minutes'
        AND regr_slope(used_bytes::float8, extract(epoch FROM time)) > 0`.execute(store.db),
  );
  return byDevice(
    result.rows.map((r) => ({ ...r, first_at: new Date(r.first_at), last_at: new Date(r.last_at) })),
  );
}

/**
 * Each container whose restart count rose by `minRise` or more over the window: its count now
 * (docker_containers) against its first sample of the window (docker_container_stats keeps the count
 * since 2026-12-02), per container id, so a recreated container starts again from its own first
 * sample. One index probe per current container, not a read of the window's samples: a fleet's day of
 * container stats is tens of millions of rows.
 */
export async function restartRises(
  store: Store,
  ids: readonly number[],
  since: Date,
  minRise: number,
): Promise<Map<number, RestartRise[]>> {
  if (ids.length === 0) return new Map();
  const list = sql.join([...ids]);
  const result = await store.guard("restart counts", () =>
    sql<RestartRise & { device_id: number }>`
      SELECT c.device_id, c.name, c.state, c.exit_code,
        f.restart_count AS first_count, c.restart_count AS last_count,
        c.restart_count - f.restart_count AS rises, f.time AS first_at, c.collected_at AS last_at,
        (SELECT count(*)::int FROM docker_container_stats s
          WHERE s.device_id = c.device_id AND s.container_id = c.container_id AND s.time >= ${since}
            AND s.time < c.collected_at AND s.restart_count IS NOT NULL) + 1 AS samples
      FROM docker_containers c
      CROSS JOIN LATERAL (
        SELECT s.time, s.restart_count FROM docker_container_stats s
        WHERE s.device_id = c.device_id AND s.container_id = c.container_id AND s.time >= ${since}
          AND s.restart_count IS NOT NULL
        ORDER BY s.time LIMIT 1
      ) f
      WHERE c.device_id IN (${list}) AND c.collected_at >= ${since}
        -- A count under minRise cannot have risen by minRise: most containers need no probe.
        AND c.restart_count >= ${minRise}
        AND c.restart_count - f.restart_count >= ${minRise}
      ORDER BY c.device_id, rises DESC`.execute(store.db),
  );
  return byDevice(
    result.rows.map((r) => ({ ...r, first_at: new Date(r.first_at), last_at: new Date(r.last_at) })),
  );
}

/**
 * The containers of every compose project that has a container not running or unhealthy: only such a
 * project can hold an exited container or a dependency that is down (a project all up has neither,
 * short of a dependency removed by hand, which this does not look for).
 */
export async function troubledComposeProjects(
  store: Store,
  ids: readonly number[],
): Promise<Map<number, ComposeContainer[]>> {
  if (ids.length === 0) return new Map();
  const rows = await store.guard("compose projects with a container down", () =>
    store.db
      .selectFrom("docker_containers as c")
      .select([
        "c.device_id",
        "c.name",
        "c.state",
        "c.status",
        "c.health",
        "c.exit_code",
        "c.compose_project",
        "c.compose_service",
        "c.compose_depends_on",
      ])
      .where("c.device_id", "in", [...ids])
      .where("c.compose_project", "is not", null)
      // The troubled (device, project) pairs once, as a set: a semi-join, not a probe per container.
      .where(
        sql<boolean>`(c.device_id, c.compose_project) IN (
          SELECT d.device_id, d.compose_project FROM docker_containers d
          WHERE d.device_id IN (${sql.join([...ids])}) AND d.compose_project IS NOT NULL
            AND (d.state <> 'running' OR d.health = 'unhealthy'))`,
      )
      .orderBy("c.device_id")
      .orderBy(sql`c.name COLLATE "C"`)
      .execute(),
  );
  return byDevice(
    rows.map((r) => ({
      device_id: r.device_id,
      name: r.name,
      state: r.state,
      status: r.status,
      health: r.health,
      exit_code: r.exit_code,
      project: r.compose_project ?? "",
      service: r.compose_service ?? "",
      depends_on: (r.compose_depends_on ?? []) as ComposeContainer["depends_on"],
    })),
  );
}

/**
 * Backup probes with no successful run on record: no last success now, and no stored result that
 * was ok or found a backup. Each with when it was first checked (null: no result rows kept).
 */
export async function neverSucceededBackups(
  store: Store,
  ids: readonly number[],
): Promise<Map<number, Map<string, Date | null>>> {
  const out = new Map<number, Map<string, Date | null>>();
  if (ids.length === 0) return out;
  const rows = await store.guard("backups never succeeded", () =>
    store.db
      .selectFrom("backup_probes as p")
      .select([
        "p.device_id",
        "p.name",
        (eb) =>
          eb
            .selectFrom("backup_probe_results as r")
            .select(sql<Date | null>`min(r.time)`.as("first"))
            .whereRef("r.device_id", "=", "p.device_id")
            .whereRef("r.name", "=", "p.name")
            .as("first_checked"),
      ])
      .where("p.device_id", "in", [...ids])
      .where("p.last_success_at", "is", null)
      .where("p.status", "<>", "ok")
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("backup_probe_results as r")
              .select(sql`1`.as("one"))
              .whereRef("r.device_id", "=", "p.device_id")
              .whereRef("r.name", "=", "p.name")
              .where((eb) => eb.or([eb("r.status", "=", "ok"), eb("r.age_s", "is not", null)])),
          ),
        ),
      )
      .execute(),
  );
  for (const r of rows) {
    const m = out.get(r.device_id) ?? new Map<string, Date | null>();
    m.set(r.name, r.first_checked === null ? null : new Date(r.first_checked));
    out.set(r.device_id, m);
  }
  return out;
}
