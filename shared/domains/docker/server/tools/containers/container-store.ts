import {
  CONTAINER_SEVERITY,
  HEALTHY_RANK,
  type SeverityCondition,
} from "@infrastructor/domains/docker/views.ts";
import type { Store } from "@infrastructor/mcp/store/store.ts";
import { type RawBuilder, sql } from "kysely";
import type { DockerContainer } from "../../../schema.ts";
import type { ContainerRow } from "./container-row.ts";
import { shortId } from "./docker-data.ts";

/**
 * Fleet-wide container reads from docker_containers (current state, one row per container, replaced
 * with each device's newest docker envelope) instead of every device's latest_state payload: the
 * filter, the worst-first order and the page are done by PostgreSQL.
 */

/** The state filter of list_containers: a state, or `unhealthy` for failing healthchecks. */
export type ContainerFilter = string | undefined;

/** One condition of a severity rule in SQL, its lists bound as parameters. */
function conditionSql(cond: SeverityCondition): RawBuilder<boolean> {
  const parts: RawBuilder<boolean>[] = [];
  if (cond.states !== undefined) parts.push(sql<boolean>`c.state = ANY(${[...cond.states]}::text[])`);
  if (cond.notStates !== undefined) parts.push(sql<boolean>`c.state <> ALL(${[...cond.notStates]}::text[])`);
  if (cond.healths !== undefined) parts.push(sql<boolean>`c.health = ANY(${[...cond.healths]}::text[])`);
  if (cond.failedExit !== undefined) parts.push(sql<boolean>`(c.exit_code IS NOT NULL AND c.exit_code <> 0)`);
  return sql<boolean>`(${sql.join(parts, sql` AND `)})`;
}

/** containerSeverity() in SQL, built from the same rule list (shared/domains/docker/views.ts). */
const SEVERITY = sql<number>`CASE ${sql.join(
  CONTAINER_SEVERITY.map(
    (r) => sql`WHEN ${sql.join(r.any.map(conditionSql), sql` OR `)} THEN ${sql.lit(r.rank)}`,
  ),
  sql` `,
)} ELSE ${sql.lit(HEALTHY_RANK)} END`;

/** Severity HEALTHY_RANK (healthy and running): most containers, listed last. */
const HEALTHY = sql<boolean>`NOT (${sql.join(
  CONTAINER_SEVERITY.flatMap((r) => r.any.map(conditionSql)),
  sql` OR `,
)})`;

export interface DeviceContainerCounts {
  device_id: number;
  state: string;
  containers: number;
  unhealthy: number;
}

/** Containers per device and state, and how many of them fail their healthcheck. */
export function containerCounts(
  store: Store,
  deviceIds: readonly number[],
): Promise<DeviceContainerCounts[]> {
  if (deviceIds.length === 0) return Promise.resolve([]);
  return store.guard("count containers", () =>
    store.db
      .selectFrom("docker_containers as c")
      .select([
        "c.device_id",
        "c.state",
        sql<number>`count(*)::int`.as("containers"),
        sql<number>`(count(*) FILTER (WHERE c.health = 'unhealthy'))::int`.as("unhealthy"),
      ])
      .where("c.device_id", "in", [...deviceIds])
      .groupBy(["c.device_id", "c.state"])
      .execute(),
  );
}

/** How many stored containers match the filter, and how many of those are problems (severity < 3). */
export function matchingCounts(
  counts: readonly DeviceContainerCounts[],
  filter: ContainerFilter,
): { matching: number; problems: number } {
  let matching = 0;
  let healthy = 0;
  for (const c of counts) {
    const running = c.state === "running";
    if (filter === undefined) matching += c.containers;
    else if (filter === "unhealthy") matching += c.unhealthy;
    else if (filter === c.state) matching += c.containers;
    if (running && (filter === undefined || filter === "running")) healthy += c.containers - c.unhealthy;
  }
  return { matching, problems: matching - healthy };
}

/** "device/name" of the first `max` + 1 unhealthy and restarting containers (one more says "cut"). */
export async function problemLabels(
  store: Store,
  deviceIds: readonly number[],
  max: number,
): Promise<{ unhealthy: string[]; restarting: string[] }> {
  if (deviceIds.length === 0) return { unhealthy: [], restarting: [] };
  const rows = await store.guard("find problem containers", () =>
    store.db
      .selectFrom("docker_containers as c")
      .innerJoin("devices as d", "d.id", "c.device_id")
      .select(["d.hostname", "c.name", "c.health", "c.state"])
      .where("c.device_id", "in", [...deviceIds])
      .where((eb) => eb.or([eb("c.health", "=", "unhealthy"), eb("c.state", "=", "restarting")]))
      .orderBy(sql`d.hostname COLLATE "C"`)
      .orderBy(sql`c.name COLLATE "C"`)
      .execute(),
  );
  const label = (r: { hostname: string; name: string }): string => `${r.hostname}/${r.name}`;
  return {
    unhealthy: rows
      .filter((r) => r.health === "unhealthy")
      .slice(0, max + 1)
      .map(label),
    restarting: rows
      .filter((r) => r.state === "restarting")
      .slice(0, max + 1)
      .map(label),
  };
}

/** A slice of the worst-first list: `count` rows from `offset`. */
export interface RowSlice {
  offset: number;
  count: number;
  /** How many matching rows are problems (severity < 3); the rest are healthy and running. */
  problems: number;
}

/**
 * Rows matching the filter, worst first, then by device and name in byte order (as `compareRows`
 * sorts live rows), each with the stats sampled with that state (same collected_at). The problems
 * are sorted whole; the healthy running rest is read in index order (byte-order-indexes migration).
 */
export async function containerRows(
  store: Store,
  deviceIds: readonly number[],
  filter: ContainerFilter,
  slice: RowSlice,
): Promise<ContainerRow[]> {
  if (deviceIds.length === 0 || slice.count <= 0) return [];
  const { offset, count, problems } = slice;
  const rows: ContainerRow[] = [];
  if (offset < problems) {
    rows.push(
      ...(await readRows(store, deviceIds, filter, "problems", offset, Math.min(count, problems - offset))),
    );
  }
  const rest = count - rows.length;
  if (rest > 0 && (filter === undefined || filter === "running")) {
    rows.push(...(await readRows(store, deviceIds, filter, "healthy", Math.max(0, offset - problems), rest)));
  }
  return rows;
}

async function readRows(
  store: Store,
  deviceIds: readonly number[],
  filter: ContainerFilter,
  part: "problems" | "healthy",
  offset: number,
  count: number,
): Promise<ContainerRow[]> {
  const rows = await store.guard("list containers", () => {
    let page = store.db
      .selectFrom("docker_containers as c")
      .innerJoin("devices as d", "d.id", "c.device_id")
      .select([
        "d.hostname",
        "c.device_id",
        "c.collected_at",
        "c.name",
        "c.container_id",
        "c.image",
        "c.state",
        "c.status",
        "c.health",
        "c.restart_count",
        "c.exit_code",
        "c.compose_project",
        "c.compose_service",
        SEVERITY.as("severity"),
      ])
      .where("c.device_id", "in", [...deviceIds])
      .where(part === "problems" ? sql<boolean>`NOT ${HEALTHY}` : HEALTHY);
    if (filter === "unhealthy") page = page.where("c.health", "=", "unhealthy");
    else if (filter !== undefined) page = page.where("c.state", "=", filter);
    // The healthy part has one severity: no sort key the indexes do not give.
    if (part === "problems") page = page.orderBy("severity");
    const ordered = page
      .orderBy(sql`d.hostname COLLATE "C"`)
      .orderBy(sql`c.name COLLATE "C"`)
      .limit(count)
      .offset(offset)
      .as("p");
    // Stats are joined to the page only: a join before the sort costs a hash of every stats row.
    return store.db
      .selectFrom(ordered)
      .leftJoin("docker_container_stats as s", (join) =>
        join
          .onRef("s.device_id", "=", "p.device_id")
          .onRef("s.container_id", "=", "p.container_id")
          .onRef("s.time", "=", "p.collected_at"),
      )
      .selectAll("p")
      .select(["s.cpu_pct", "s.mem_used_bytes", "s.mem_limit_bytes"])
      .orderBy("p.severity")
      .orderBy(sql`p.hostname COLLATE "C"`)
      .orderBy(sql`p.name COLLATE "C"`)
      .execute();
  });
  return rows.map((r) => ({
    device: r.hostname,
    name: r.name,
    id: shortId(r.container_id),
    image: r.image,
    state: r.state,
    status: r.status,
    health: r.health,
    restart_count: r.restart_count,
    exit_code: r.exit_code,
    cpu_pct: r.cpu_pct,
    mem_used_bytes: r.mem_used_bytes === null ? null : Number(r.mem_used_bytes),
    mem_limit_bytes: r.mem_limit_bytes === null ? null : Number(r.mem_limit_bytes),
    compose_project: r.compose_project,
    compose_service: r.compose_service,
  }));
}

/** What the health rules read of a container; `state` as stored (any engine's word). */
export type ProblemContainer = Pick<
  DockerContainer,
  "name" | "status" | "health" | "restart_count" | "exit_code"
> & {
  state: string;
};

/** Per device: its restarting, dead and unhealthy containers (what the fleet health check reports). */
export async function problemContainers(
  store: Store,
  deviceIds: readonly number[],
): Promise<Map<number, ProblemContainer[]>> {
  const out = new Map<number, ProblemContainer[]>();
  if (deviceIds.length === 0) return out;
  const rows = await store.guard("find problem containers", () =>
    store.db
      .selectFrom("docker_containers as c")
      .select(["c.device_id", "c.name", "c.state", "c.status", "c.health", "c.restart_count", "c.exit_code"])
      .where("c.device_id", "in", [...deviceIds])
      .where((eb) => eb.or([eb("c.health", "=", "unhealthy"), eb("c.state", "in", ["restarting", "dead"])]))
      .orderBy("c.device_id")
      .orderBy(sql`c.name COLLATE "C"`)
      .execute(),
  );
  for (const { device_id, ...c } of rows) listOf(out, device_id).push(c);
  return out;
}

export type PublishingContainer = Pick<DockerContainer, "name" | "ports">;

/**
 * How many containers publish a port on their host, and the first `limit` of them per device, in
 * (device, name) byte order: the topology shows a few hundred of a fleet's thousands, and reading only
 * those walks the partial index of publishing containers instead of sorting every row. Devices whose
 * docker is now unavailable are left out: their last containers stay stored but run nowhere.
 */
export async function publishingContainers(
  store: Store,
  deviceIds: readonly number[],
  limit: number,
): Promise<{ total: number; first: Map<number, PublishingContainer[]> }> {
  const first = new Map<number, PublishingContainer[]>();
  if (deviceIds.length === 0 || limit <= 0) return { total: 0, first };
  const [counted, rows] = await Promise.all([
    store.guard("count publishing containers", () =>
      store.db
        .selectFrom("docker_containers as c")
        .select(sql<number>`count(*)::int`.as("n"))
        .where("c.device_id", "in", [...deviceIds])
        .where(sql<boolean>`c.publishes`)
        .where(dockerAvailable)
        .executeTakeFirstOrThrow(),
    ),
    store.guard("find publishing containers", () =>
      store.db
        .selectFrom("docker_containers as c")
        .innerJoin("devices as d", "d.id", "c.device_id")
        .select(["c.device_id", "c.name", "c.ports"])
        .where("c.device_id", "in", [...deviceIds])
        .where(sql<boolean>`c.publishes`)
        .where(dockerAvailable)
        .orderBy(sql`d.hostname COLLATE "C"`)
        .orderBy(sql`c.name COLLATE "C"`)
        .limit(limit)
        .execute(),
    ),
  ]);
  for (const r of rows) {
    listOf(first, r.device_id).push({ name: r.name, ports: r.ports as DockerContainer["ports"] });
  }
  return { total: counted.n, first };
}

const dockerAvailable = sql<boolean>`NOT EXISTS (SELECT 1 FROM latest_state l
  WHERE l.device_id = c.device_id AND l.domain = 'docker' AND l.status = 'unavailable')`;

function listOf<T>(map: Map<number, T[]>, key: number): T[] {
  let list = map.get(key);
  if (list === undefined) {
    list = [];
    map.set(key, list);
  }
  return list;
}
