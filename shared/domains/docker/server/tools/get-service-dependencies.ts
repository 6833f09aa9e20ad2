import { describeProvenance, ProvenanceSchema } from "@infrastructor/mcp/answer/provenance.ts";
import { capList } from "@infrastructor/mcp/answer/truncate.ts";
import { ContainerArg, DeviceArg } from "@infrastructor/mcp/args/names.ts";
import { defineTool, READ_ONLY } from "@infrastructor/mcp/tools/tool.ts";
import { z } from "zod";
import {
  type Edge,
  EdgeSchema,
  isDown,
  PublishedSchema,
  serviceDependencies,
} from "./containers/dependencies.ts";
import { readDocker } from "./containers/docker-data.ts";
import { findContainer } from "./containers/find-container.ts";

const MAX_PEERS = 100;

export const getServiceDependencies = defineTool({
  name: "get_service_dependencies",
  title: "Service dependencies",
  description:
    "What a container depends on and what depends on it, on one device, each edge with its reason: " +
    "Compose depends_on (both directions, with the condition; Compose records `links:` there too), " +
    "user-defined networks it shares with other containers, and ports it publishes on the host. " +
    "Names dependencies that are down (not running, or unhealthy when a healthy one is required). " +
    "Legacy `--link` links are not collected.",
  input: { device: DeviceArg, container_name: ContainerArg },
  output: {
    device: z.string(),
    container: z.object({
      name: z.string(),
      state: z.string(),
      health: z.string(),
      compose: z.string().nullable(),
    }),
    summary: z.object({
      depends_on: z.number(),
      dependents: z.number(),
      network_peers: z.number(),
      published_ports: z.number(),
      down_dependencies: z.array(z.string()).describe("dependencies that are not up, by name (or service)"),
    }),
    depends_on: z.array(EdgeSchema).describe("what this container needs"),
    dependents: z.array(EdgeSchema).describe("what needs this container"),
    network_peers: z
      .array(EdgeSchema)
      .describe("containers on a shared user-defined network (either direction)"),
    published: z.array(PublishedSchema),
    truncated: z.boolean(),
    provenance: ProvenanceSchema,
  },
  annotations: READ_ONLY,
  async run(ctx, args) {
    const { answer, data, provenance } = await readDocker(ctx, args.device);
    const host = answer.device.hostname;
    const target = findContainer(data, host, args.container_name);
    const deps = serviceDependencies(data, target);
    const peers = capList(deps.network_peers, MAX_PEERS);
    const down = deps.depends_on.filter(isDown).map((e) => e.container ?? e.reason);
    const compose = target.compose === null ? null : `${target.compose.project}/${target.compose.service}`;
    const line = (e: Edge): string =>
      `  - ${e.container ?? "(none)"}${e.state ? ` [${e.state}${e.health && e.health !== "none" ? `, ${e.health}` : ""}]` : ""}: ${e.reason}`;
    const text = [
      `${host}/${target.name}${compose ? ` (compose ${compose})` : ""}: depends on ${deps.depends_on.length}, needed by ${deps.dependents.length}, ${deps.network_peers.length} network peer(s), ${deps.published.length} published port(s).`,
      down.length ? `DOWN dependencies: ${down.join(", ")}.` : "",
      describeProvenance(provenance),
      deps.depends_on.length ? "depends on:" : "",
      ...deps.depends_on.map(line),
      deps.dependents.length ? "needed by:" : "",
      ...deps.dependents.map(line),
      peers.items.length ? "network peers:" : "",
      ...peers.items.map(line),
      ...deps.published.map((p) => `  - published ${p.port}`),
    ].filter((l) => l !== "");
    return {
      structured: {
        device: host,
        container: { name: target.name, state: target.state, health: target.health, compose },
        summary: {
          depends_on: deps.depends_on.length,
          dependents: deps.dependents.length,
          network_peers: deps.network_peers.length,
          published_ports: deps.published.length,
          down_dependencies: down,
        },
        depends_on: deps.depends_on,
        dependents: deps.dependents,
        network_peers: peers.items,
        published: deps.published,
        truncated: peers.truncated,
        provenance,
      },
      text: text.join("\n"),
    };
  },
});
