import {
  ItemErrorSchema,
  MAX_ITEM_ERRORS,
  TruncatedSchema,
} from "@infrastructor/shared/schemas/source-result.ts";
import { z } from "zod";

/**
 * The `docker` domain: what a Docker Engine API (docker, or podman's compatible socket) says about its
 * containers and networks. Environment variables are never part of it: they hold secrets. Byte counts
 * are integers in bytes; counters (`net_*`, `block_*`) are cumulative since the container started.
 * A source that failed is data (`{ ok: false, error }`), not a thrown error.
 */
const bytes = z.number().int().nonnegative();
/** Stored in PostgreSQL `integer` columns. */
const int4 = z.number().int().nonnegative().max(2_147_483_647);
const name = z.string().min(1).max(255);
const path = z.string().max(4096);
const when = z.iso.datetime({ offset: true }).nullable();
/** Container and network ids: hex from docker, also plain names in some API compatibles. */
const apiId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/);
const port = z.number().int().min(0).max(65535);

export const SourceErrorSchema = z.object({
  code: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/),
  message: z.string().max(1000),
});
export type SourceError = z.infer<typeof SourceErrorSchema>;
const FailedSchema = z.object({ ok: z.literal(false), error: SourceErrorSchema });

export const DockerPortSchema = z.object({
  container_port: port,
  /** Null when the port is exposed but not published on the host. */
  host_port: port.nullable(),
  host_ip: z.string().max(64).nullable(),
  protocol: z.string().regex(/^[a-z]{1,8}$/),
});
export type DockerPort = z.infer<typeof DockerPortSchema>;

export const DockerMountSchema = z.object({
  /** bind, volume, tmpfs, npipe, cluster, image. */
  type: z.string().max(32),
  /** Volume name for named volumes, else null. */
  name: z.string().max(255).nullable(),
  source: path,
  destination: path,
  access: z.enum(["rw", "ro"]),
});
export type DockerMount = z.infer<typeof DockerMountSchema>;

export const DockerAttachmentSchema = z.object({
  network: name,
  ip_address: z.string().max(64).nullable(),
  ipv6_address: z.string().max(64).nullable(),
  gateway: z.string().max(64).nullable(),
  mac_address: z.string().max(64).nullable(),
});
export type DockerAttachment = z.infer<typeof DockerAttachmentSchema>;

export const ComposeDependencySchema = z.object({
  service: name,
  /** service_started, service_healthy, service_completed_successfully; null when not given. */
  condition: z.string().max(64).nullable(),
});

/** From the `com.docker.compose.*` labels Compose puts on every container it creates. */
export const ComposeSchema = z.object({
  project: name,
  service: name,
  working_dir: path.nullable(),
  config_files: z.array(path).max(64),
  depends_on: z.array(ComposeDependencySchema).max(256),
});
export type Compose = z.infer<typeof ComposeSchema>;

/** Figures as `docker stats` shows them. */
export const DockerStatsSchema = z.object({
  ok: z.literal(true),
  /** 100 = one CPU busy; up to 100 x online CPUs. Null without a previous reading to diff against. */
  cpu_pct: z.number().finite().nonnegative().nullable(),
  /** Usage minus reclaimable page cache (inactive_file, or cache on old engines). */
  mem_used_bytes: bytes.nullable(),
  /** Null when the engine reports no limit. */
  mem_limit_bytes: bytes.nullable(),
  net_rx_bytes: bytes.nullable(),
  net_tx_bytes: bytes.nullable(),
  block_read_bytes: bytes.nullable(),
  block_write_bytes: bytes.nullable(),
  pids: int4.nullable(),
});
export type DockerStats = z.infer<typeof DockerStatsSchema>;

export const CONTAINER_STATES = [
  "created",
  "running",
  "paused",
  "restarting",
  "removing",
  "exited",
  "dead",
  "unknown",
] as const;
export type ContainerState = (typeof CONTAINER_STATES)[number];

/**
 * A legacy link (`docker run --link name:alias`, Compose `links:`): this container reaches `container`
 * under the hostname `alias`. From HostConfig.Links ("/db:/web/db") and, on user-defined networks,
 * the endpoint's Links ("db:alias").
 */
export const DockerLinkSchema = z.object({ container: name, alias: name });
export type DockerLink = z.infer<typeof DockerLinkSchema>;

export const DockerContainerSchema = z.object({
  id: apiId,
  name,
  /** The image reference the container was created from, e.g. `nginx:1.27`. */
  image: z.string().max(1024),
  image_id: z.string().max(255).nullable(),
  state: z.enum(CONTAINER_STATES),
  /** The engine's human text, e.g. "Up 4 hours (healthy)". */
  status: z.string().max(255),
  health: z.enum(["none", "starting", "healthy", "unhealthy"]),
  exit_code: z.number().int().nullable(),
  restart_count: int4,
  created_at: when,
  started_at: when,
  finished_at: when,
  ports: z.array(DockerPortSchema).max(1000),
  mounts: z.array(DockerMountSchema).max(1000),
  networks: z.array(DockerAttachmentSchema).max(100),
  labels: z
    .record(z.string().max(255), z.string().max(4096))
    .refine((labels) => Object.keys(labels).length <= 500, "more than 500 labels"),
  /** Labels the agent left out or cut short (over its per-container bounds); absent: none. */
  labels_truncated: z.number().int().nonnegative().optional(),
  compose: ComposeSchema.nullable(),
  /** Absent from agents older than this field: none then. */
  links: z.array(DockerLinkSchema).max(100).default([]),
  /** Null for a container that is not running (no stats to read). */
  stats: z.discriminatedUnion("ok", [DockerStatsSchema, FailedSchema]).nullable(),
  /** Set when /containers/{id}/json failed: the other fields then come from the list alone. */
  inspect_error: SourceErrorSchema.nullable(),
});
export type DockerContainer = z.infer<typeof DockerContainerSchema>;

export const DockerNetworkSchema = z.object({
  id: apiId,
  name,
  driver: z.string().max(64),
  scope: z.string().max(32),
  subnets: z.array(z.string().max(64)).max(64),
  gateways: z.array(z.string().max(64)).max(64),
  containers: z
    .array(
      z.object({
        id: apiId,
        name: z.string().max(255).nullable(),
        ipv4_address: z.string().max(64).nullable(),
        ipv6_address: z.string().max(64).nullable(),
      }),
    )
    .max(4000),
});
export type DockerNetwork = z.infer<typeof DockerNetworkSchema>;

export const DockerDataSchema = z.object({
  containers: z.array(DockerContainerSchema).max(2000),
  networks: z.discriminatedUnion("ok", [
    z.object({
      ok: z.literal(true),
      items: z.array(DockerNetworkSchema).max(1000),
      /** Networks of the list that could not be read (absent: none, and from older agents). */
      item_errors: z.array(ItemErrorSchema).max(MAX_ITEM_ERRORS).optional(),
      item_errors_dropped: TruncatedSchema.optional(),
    }),
    FailedSchema,
  ]),
  /**
   * Containers of the list that could not be read (a wrong-typed element, a sample its schema refuses):
   * the others are in `containers`. Absent when none, and from older agents.
   */
  item_errors: z.array(ItemErrorSchema).max(MAX_ITEM_ERRORS).optional(),
  item_errors_dropped: TruncatedSchema.optional(),
  /** Containers left out of `containers` (over the agent's bound); absent when none, and from older agents. */
  truncated: z.object({ containers: TruncatedSchema.optional() }).optional(),
});
export type DockerData = z.infer<typeof DockerDataSchema>;
