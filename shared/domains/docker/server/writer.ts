import {
  type DomainWriter,
  type StateItem,
  timeSeriesTable,
} from "@infrastructor/collector/ingest/domain-writer.ts";
import type { RowBuffers } from "@infrastructor/collector/ingest/row-buffers.ts";
import type { TransactionSql } from "postgres";
import type { DockerContainer, DockerData, DockerNetwork } from "../schema.ts";
import { dockerContainerStats } from "./tables.ts";

/** The time series this writer appends to, from its declaration (tables.ts): columns, line order. */
export const DOCKER_TABLES = {
  docker_container_stats: timeSeriesTable(dockerContainerStats),
};

/**
 * docker: per-container stats as a time series; containers and networks as current state, replaced
 * per device by its newest envelope (docker_sync.collected_at orders them: an older replay changes nothing).
 */
export const dockerWriter: DomainWriter<"docker"> = {
  domain: "docker",
  tables: Object.values(DOCKER_TABLES),
  rowCount: (data) => data.containers.filter((c) => c.stats?.ok).length,
  addRows: addDockerRows,
  writeState: writeDockerState,
};

export function addDockerRows(out: RowBuffers, deviceId: number, collectedAt: Date, data: DockerData): void {
  const time = collectedAt.toISOString();
  const line = DOCKER_TABLES.docker_container_stats.line;
  let lines = "";
  let rows = 0;
  for (const c of data.containers) {
    const s = c.stats;
    if (!s?.ok) continue;
    lines += line({
      time,
      device_id: deviceId,
      container_id: c.id,
      container_name: c.name,
      cpu_pct: s.cpu_pct,
      mem_used_bytes: s.mem_used_bytes,
      mem_limit_bytes: s.mem_limit_bytes,
      net_rx_bytes: s.net_rx_bytes,
      net_tx_bytes: s.net_tx_bytes,
      block_read_bytes: s.block_read_bytes,
      block_write_bytes: s.block_write_bytes,
      pids: s.pids,
      restart_count: c.restart_count,
    });
    rows += 1;
  }
  if (rows > 0) out.append("docker_container_stats", collectedAt.getTime(), lines, rows);
}

export async function writeDockerState(tx: TransactionSql, items: StateItem<"docker">[]): Promise<void> {
  for (const item of items) {
    const at = item.collectedAt;
    const networksOk = item.data.networks.ok;
    // Moves only forward; RETURNING says whether this envelope is the newest one seen for the device.
    const [newer] = await tx`
      INSERT INTO docker_sync AS s (device_id, collected_at, networks_at)
      VALUES (${item.deviceId}, ${at}, ${networksOk ? at : null})
      ON CONFLICT (device_id) DO UPDATE SET
        collected_at = EXCLUDED.collected_at,
        networks_at = COALESCE(EXCLUDED.networks_at, s.networks_at)
      WHERE s.collected_at < EXCLUDED.collected_at
      RETURNING s.device_id`;
    if (newer === undefined) continue;
    await replaceContainers(tx, item.deviceId, at, item.data.containers);
    if (item.data.networks.ok) await replaceNetworks(tx, item.deviceId, at, item.data.networks.items);
  }
}

async function replaceContainers(
  tx: TransactionSql,
  deviceId: number,
  at: Date,
  containers: DockerContainer[],
): Promise<void> {
  await tx`DELETE FROM docker_containers WHERE device_id = ${deviceId}`;
  if (containers.length === 0) return;
  // One JSON document for the set: PostgreSQL parses it once (as latest_state does).
  const records = JSON.stringify(containers.map((c) => containerRecord(deviceId, at, c)));
  await tx`
    INSERT INTO docker_containers
    SELECT * FROM jsonb_to_recordset(${records}::text::jsonb) AS r(
      device_id integer, container_id text, collected_at timestamptz, name text, image text, image_id text,
      state text, status text, health text, exit_code integer, restart_count integer,
      created_at timestamptz, started_at timestamptz, finished_at timestamptz, ports jsonb, mounts jsonb,
      networks jsonb, labels jsonb, compose_project text, compose_service text, compose_working_dir text,
      compose_depends_on jsonb, inspect_error jsonb)`;
}

async function replaceNetworks(
  tx: TransactionSql,
  deviceId: number,
  at: Date,
  networks: DockerNetwork[],
): Promise<void> {
  await tx`DELETE FROM docker_networks WHERE device_id = ${deviceId}`;
  if (networks.length === 0) return;
  const records = JSON.stringify(
    networks.map((w) => ({
      device_id: deviceId,
      network_id: w.id,
      collected_at: at.toISOString(),
      ...pick(w),
    })),
  );
  await tx`
    INSERT INTO docker_networks
    SELECT * FROM jsonb_to_recordset(${records}::text::jsonb) AS r(
      device_id integer, network_id text, collected_at timestamptz, name text, driver text, scope text,
      subnets text[], gateways text[], containers jsonb)`;
}

function pick(w: DockerNetwork): Omit<DockerNetwork, "id"> {
  return {
    name: w.name,
    driver: w.driver,
    scope: w.scope,
    subnets: w.subnets,
    gateways: w.gateways,
    containers: w.containers,
  };
}

/** The columns of docker_containers, in its order (jsonb_to_recordset matches keys by name). */
export function containerRecord(deviceId: number, at: Date, c: DockerContainer): Record<string, unknown> {
  return {
    device_id: deviceId,
    container_id: c.id,
    collected_at: at.toISOString(),
    name: c.name,
    image: c.image,
    image_id: c.image_id,
    state: c.state,
    status: c.status,
    health: c.health,
    exit_code: c.exit_code,
    restart_count: c.restart_count,
    created_at: c.created_at,
    started_at: c.started_at,
    finished_at: c.finished_at,
    ports: c.ports,
    mounts: c.mounts,
    networks: c.networks,
    labels: c.labels,
    compose_project: c.compose?.project ?? null,
    compose_service: c.compose?.service ?? null,
    compose_working_dir: c.compose?.working_dir ?? null,
    compose_depends_on: c.compose?.depends_on ?? null,
    inspect_error: c.inspect_error,
  };
}
