import { z } from "zod";
import type { DockerContainer, DockerData } from "../../../schema.ts";
import { describePort } from "./ports.ts";

/** Networks every container may share without being meant to talk: not evidence of a dependency. */
const DEFAULT_NETWORKS = new Set(["bridge", "host", "none", "podman"]);

export const EdgeSchema = z.object({
  container: z.string().nullable().describe("the other container; null when no container matches"),
  state: z.string().nullable(),
  health: z.string().nullable(),
  kind: z.enum(["compose_depends_on", "link", "shared_network"]),
  reason: z.string(),
  condition: z
    .string()
    .nullable()
    .describe("compose's condition: service_started, service_healthy, service_completed_successfully"),
});
export type Edge = z.infer<typeof EdgeSchema>;

export const PublishedSchema = z.object({ port: z.string(), reason: z.string() });

export interface Dependencies {
  depends_on: Edge[];
  dependents: Edge[];
  network_peers: Edge[];
  published: z.infer<typeof PublishedSchema>[];
}

/**
 * What `target` needs and what needs it, from what the engine reports: Compose's depends_on labels
 * (Compose also records `links:` there) in both directions within the project, legacy links
 * (`--link`, HostConfig.Links) in both directions, user-defined networks
 * shared with other containers (they can reach each other by name), and ports published on the host
 * (clients outside Docker may depend on it).
 */
export function serviceDependencies(data: DockerData, target: DockerContainer): Dependencies {
  const others = data.containers.filter((c) => c.id !== target.id);
  return {
    depends_on: [...dependsOn(target, others), ...linksTo(target, others)],
    dependents: [...dependents(target, others), ...linkedFrom(target, others)],
    network_peers: networkPeers(data, target, others),
    published: target.ports
      .filter((p) => p.host_port !== null)
      .map((p) => ({
        port: describePort(p),
        reason: `publishes ${p.container_port}/${p.protocol} on the host at ${p.host_ip || "0.0.0.0"}:${p.host_port}: clients outside Docker may depend on it`,
      })),
  };
}

function dependsOn(target: DockerContainer, others: readonly DockerContainer[]): Edge[] {
  const compose = target.compose;
  if (compose === null) return [];
  return compose.depends_on.flatMap((dep) => {
    const reason = `compose project ${compose.project}: service ${compose.service} depends_on ${dep.service}${dep.condition ? ` (${dep.condition})` : ""}`;
    const providers = others.filter(
      (c) => c.compose?.project === compose.project && c.compose.service === dep.service,
    );
    if (providers.length === 0) {
      return [
        edge(
          null,
          "compose_depends_on",
          `${reason}, but no container of ${dep.service} exists`,
          dep.condition,
        ),
      ];
    }
    return providers.map((c) => edge(c, "compose_depends_on", reason, dep.condition));
  });
}

function dependents(target: DockerContainer, others: readonly DockerContainer[]): Edge[] {
  const compose = target.compose;
  if (compose === null) return [];
  return others.flatMap((c) => {
    if (c.compose?.project !== compose.project) return [];
    const dep = c.compose.depends_on.find((d) => d.service === compose.service);
    if (dep === undefined) return [];
    const reason = `compose project ${compose.project}: service ${c.compose.service} depends_on ${compose.service}${dep.condition ? ` (${dep.condition})` : ""}`;
    return [edge(c, "compose_depends_on", reason, dep.condition)];
  });
}

/** The containers `target` reaches through a legacy link. */
function linksTo(target: DockerContainer, others: readonly DockerContainer[]): Edge[] {
  return (target.links ?? []).map((link) => {
    const provider = others.find((c) => c.name === link.container) ?? null;
    const reason = `legacy link: reaches ${link.container} as "${link.alias}"${provider === null ? ", but no such container exists" : ""}`;
    return edge(provider, "link", reason, null);
  });
}

/** The containers that reach `target` through a legacy link. */
function linkedFrom(target: DockerContainer, others: readonly DockerContainer[]): Edge[] {
  return others.flatMap((c) =>
    (c.links ?? [])
      .filter((link) => link.container === target.name)
      .map((link) =>
        edge(c, "link", `legacy link: ${c.name} reaches ${target.name} as "${link.alias}"`, null),
      ),
  );
}

function networkPeers(data: DockerData, target: DockerContainer, others: readonly DockerContainer[]): Edge[] {
  const drivers = new Map(data.networks.ok ? data.networks.items.map((n) => [n.name, n.driver]) : []);
  const userDefined = (name: string): boolean =>
    !DEFAULT_NETWORKS.has(name) && drivers.get(name) !== "host" && drivers.get(name) !== "null";
  const mine = new Set(target.networks.map((n) => n.network).filter(userDefined));
  return others.flatMap((c) => {
    const shared = c.networks.filter((n) => mine.has(n.network));
    if (shared.length === 0) return [];
    const where = shared.map((n) => `${n.network}${n.ip_address ? ` (${c.name} at ${n.ip_address})` : ""}`);
    return [
      edge(
        c,
        "shared_network",
        `shares user-defined network ${where.join(", ")}: they can reach each other by name`,
        null,
      ),
    ];
  });
}

function edge(c: DockerContainer | null, kind: Edge["kind"], reason: string, condition: string | null): Edge {
  return {
    container: c?.name ?? null,
    state: c?.state ?? null,
    health: c?.health ?? null,
    kind,
    reason,
    condition,
  };
}

/** A dependency that is not up: not running, or its healthcheck failing (or not yet passing when required). */
export function isDown(e: Edge): boolean {
  if (e.container === null) return true;
  if (e.condition === "service_completed_successfully") return e.state !== "exited";
  if (e.state !== "running") return true;
  return e.health === "unhealthy" || (e.condition === "service_healthy" && e.health !== "healthy");
}
