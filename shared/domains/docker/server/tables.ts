import {
  bool,
  float4,
  int4,
  int8,
  jsonb,
  text,
  textArray,
  timestamptz,
} from "@infrastructor/lib/db/column.ts";
import { table } from "@infrastructor/lib/db/table.ts";

/** Which envelope the current-state tables follow, per device (migration 10). */
export const dockerSync = table(
  "docker_sync",
  { device_id: int4(), collected_at: timestamptz(), networks_at: timestamptz().nullable() },
  { kind: "state", primaryKey: ["device_id"] },
);

export const dockerContainers = table(
  "docker_containers",
  {
    device_id: int4(),
    container_id: text(),
    collected_at: timestamptz(),
    name: text(),
    image: text(),
    image_id: text().nullable(),
    state: text(),
    status: text(),
    health: text<"none" | "starting" | "healthy" | "unhealthy">(),
    exit_code: int4().nullable(),
    restart_count: int4(),
    created_at: timestamptz().nullable(),
    started_at: timestamptz().nullable(),
    finished_at: timestamptz().nullable(),
    ports: jsonb(),
    mounts: jsonb(),
    networks: jsonb(),
    labels: jsonb(),
    compose_project: text().nullable(),
    compose_service: text().nullable(),
    compose_working_dir: text().nullable(),
    compose_depends_on: jsonb().nullable(),
    inspect_error: jsonb().nullable(),
    /** Generated: a port is published on the host (a topology node). */
    publishes: bool().generatedAlways(),
  },
  { kind: "state", primaryKey: ["device_id", "container_id"] },
);

export const dockerNetworks = table(
  "docker_networks",
  {
    device_id: int4(),
    network_id: text(),
    collected_at: timestamptz(),
    name: text(),
    driver: text(),
    scope: text(),
    subnets: textArray(),
    gateways: textArray(),
    containers: jsonb(),
  },
  { kind: "state", primaryKey: ["device_id", "network_id"] },
);

export const dockerContainerStats = table(
  "docker_container_stats",
  {
    time: timestamptz(),
    device_id: int4(),
    container_id: text(),
    container_name: text(),
    cpu_pct: float4().nullable(),
    mem_used_bytes: int8().nullable(),
    mem_limit_bytes: int8().nullable(),
    net_rx_bytes: int8().nullable(),
    net_tx_bytes: int8().nullable(),
    block_read_bytes: int8().nullable(),
    block_write_bytes: int8().nullable(),
    pids: int4().nullable(),
    /** The container's restart count at this sample; null in rows from before 2026-12-02. */
    restart_count: int4().nullable(),
  },
  {
    kind: "timeseries",
    primaryKey: ["device_id", "container_id", "time"],
    retention: { keep: "raw", by: "time" },
  },
);

export const DOCKER_TABLE_DECLARATIONS = [
  dockerSync,
  dockerContainers,
  dockerNetworks,
  dockerContainerStats,
] as const;
