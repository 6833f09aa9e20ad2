import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import type { z } from "zod";
import {
  CONTAINER_STATES,
  type ContainerState,
  type DockerAttachment,
  type DockerContainer,
  type DockerLink,
  type DockerMount,
} from "../schema.ts";
import type { EndpointShape, MountShape } from "./api-shapes.ts";

/** What a container is, apart from its stats: from the list, refined by inspect. */
export type ContainerInfo = Omit<DockerContainer, "stats" | "inspect_error">;

/** Go's zero time: the engine's way of saying "never" (FinishedAt of a running container). */
const ZERO_TIME = /^0001-01-01T/;

/** An engine timestamp (RFC 3339, nanoseconds) as ISO 8601 in ms; null for empty or the zero time. */
export function isoOrNull(value: string | null | undefined, source: string, field: string): string | null {
  if (value === null || value === undefined || value === "" || ZERO_TIME.test(value)) return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw parseFailed(source, `${field}: not a timestamp`, { excerpt: value });
  return new Date(ms).toISOString();
}

/** Unix seconds (the list's `Created`) as ISO 8601; 0 means unknown (trimmed captures). */
export function isoFromUnix(seconds: number | null | undefined): string | null {
  return seconds === null || seconds === undefined || seconds <= 0
    ? null
    : new Date(seconds * 1000).toISOString();
}

/** Docker names carry a leading slash (`/web`); a container linked into another has more than one. */
export function containerName(names: readonly string[] | null | undefined, id: string): string {
  const first = (names ?? []).map((n) => n.replace(/^\//, "")).find((n) => n !== "" && !n.includes("/"));
  return first ?? id.slice(0, 12);
}

export function containerState(value: string | null | undefined): ContainerState {
  const state = (value ?? "").toLowerCase();
  // podman's compat API says "configured" and "stopped" for what docker calls created and exited.
  if (state === "configured" || state === "initialized") return "created";
  if (state === "stopped") return "exited";
  return (CONTAINER_STATES as readonly string[]).includes(state) ? (state as ContainerState) : "unknown";
}

export function healthOf(value: string | null | undefined): ContainerInfo["health"] {
  const health = (value ?? "").toLowerCase();
  return health === "starting" || health === "healthy" || health === "unhealthy" ? health : "none";
}

export function mountsOf(mounts: z.infer<typeof MountShape>[] | null | undefined): DockerMount[] {
  return (mounts ?? []).map((m) => ({
    type: m.Type ?? "",
    name: m.Name || null,
    source: m.Source ?? "",
    destination: m.Destination ?? "",
    access: m.RW === false ? "ro" : "rw",
  }));
}

export function attachmentsOf(
  networks: Record<string, z.infer<typeof EndpointShape> | null | undefined> | null | undefined,
): DockerAttachment[] {
  return Object.entries(networks ?? {}).map(([network, e]) => ({
    network,
    ip_address: e?.IPAddress || null,
    ipv6_address: e?.GlobalIPv6Address || null,
    gateway: e?.Gateway || null,
    mac_address: e?.MacAddress || null,
  }));
}

/**
 * Legacy links, from HostConfig.Links ("/db:/web/db": container db, alias db) and each network
 * endpoint's Links ("db:database", or "db" alone), once each. Unreadable entries are skipped.
 */
export function linksOf(
  hostLinks: readonly string[] | null | undefined,
  networks: Record<string, z.infer<typeof EndpointShape> | null | undefined> | null | undefined,
): DockerLink[] {
  const out = new Map<string, DockerLink>();
  const add = (container: string | undefined, alias: string | undefined): void => {
    if (!container || !alias || container.length > 255 || alias.length > 255) return;
    out.set(`${container}\0${alias}`, { container, alias });
  };
  for (const link of hostLinks ?? []) {
    const [source, target] = link.split(":");
    add(source?.replace(/^\//, ""), target?.split("/").pop());
  }
  for (const endpoint of Object.values(networks ?? {})) {
    for (const link of endpoint?.Links ?? []) {
      const [container, alias] = link.split(":");
      add(container, alias ?? container);
    }
  }
  return [...out.values()].slice(0, 100);
}

export function nullIfEmpty(value: string | null | undefined): string | null {
  return value === null || value === undefined || value === "" ? null : value;
}
