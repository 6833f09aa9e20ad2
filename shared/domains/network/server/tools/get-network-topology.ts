import { publishingContainers } from "@infrastructor/domains/docker/server/tools/containers/container-store.ts";
import {
  describeProvenance,
  formatAge,
  type Provenance,
  ProvenanceSchema,
} from "@infrastructor/mcp/answer/provenance.ts";
import { capList } from "@infrastructor/mcp/answer/truncate.ts";
import { DeviceArg } from "@infrastructor/mcp/args/names.ts";
import { defineTool, READ_ONLY } from "@infrastructor/mcp/tools/tool.ts";
import { z } from "zod";
import {
  buildTopology,
  compareNodeIds,
  compareNodes,
  EdgeSchema,
  NodeSchema,
  neighbourhood,
  type TopologyEdge,
} from "./topology.ts";

const MAX_NODES = 300;
const MAX_EDGES = 500;
/** What buildTopology reads of a network payload (routes, sockets and DNS are left in the database). */
const TOPOLOGY_KEYS = ["interfaces", "neighbours", "lldp", "tailscale"];
const EDGE_KINDS = ["in_subnet", "neighbour", "lldp", "tailscale", "published_port"] as const;

/** Up to this many devices, each one's addresses get a line (a fleet-wide map of hundreds would not fit). */
const ADDRESS_LINES_UP_TO = 20;

/** Device names per shared subnet in the text; the structured summary lists all of them. */
const SUBNET_NAMES = 100;

export const getNetworkTopology = defineTool({
  name: "get_network_topology",
  title: "Network topology",
  description:
    "A cross-device graph from the stored network and Docker data: nodes are devices, subnets and " +
    "containers that publish ports; edges are device-in-subnet, neighbours (ARP/NDP and LLDP) and " +
    "Tailscale peers resolved to known devices by IP or MAC, and published ports (container -> its host). " +
    "Counts and the subnets devices share come first. With device, only that device's neighbourhood. " +
    "Container bridges (docker0, br-*, podman, virbr) are left out: each host has its own.",
  input: {
    device: DeviceArg.optional().describe(
      "Only this device's neighbourhood (its subnets, neighbours, peers).",
    ),
  },
  output: {
    summary: z.object({
      devices: z.number(),
      subnets: z.number(),
      containers: z.number(),
      edges: z.record(z.enum(EDGE_KINDS), z.number()),
      unresolved_neighbours: z.number().describe("neighbours and peers that are no known device"),
      shared_subnets: z.array(z.object({ subnet: z.string(), devices: z.array(z.string()) })),
    }),
    nodes: z.array(NodeSchema),
    edges: z.array(EdgeSchema),
    truncated: z.boolean().describe("nodes or edges were cut at their caps; narrow with device"),
    provenance: z.array(ProvenanceSchema).describe("network (and docker) data of each device shown"),
  },
  annotations: READ_ONLY,
  async run(ctx, args) {
    const all = await ctx.store.listDevices();
    const focus = args.device === undefined ? null : await ctx.store.device(args.device);
    // A map, not a reading of now: stored data only (each device's age is in provenance). Only
    // containers publishing a port become nodes, and they sort last (nodes and edges): of thousands,
    // only the first MAX_EDGES can ever be shown, so only those are read; the rest are counted. With
    // device, only its own containers belong to its neighbourhood.
    const [network, docker, publishing] = await Promise.all([
      ctx.domains.readMany(all, "network", "never", {}, { only: TOPOLOGY_KEYS }),
      ctx.domains.readMany(all, "docker", "never", {}, "status"),
      publishingContainers(ctx.store, focus === null ? all.map((d) => d.id) : [focus.id], MAX_EDGES),
    ]);
    const full = buildTopology(
      all.map((d, i) => ({
        name: d.hostname,
        network: network[i]?.data ?? null,
        containers: publishing.first.get(d.id) ?? [],
      })),
    );
    const graph = focus === null ? full : neighbourhood(full, focus.hostname);
    const nodes = graph.nodes.sort(compareNodes);
    const edges = graph.edges.sort(
      (a, b) =>
        EDGE_KINDS.indexOf(a.kind) - EDGE_KINDS.indexOf(b.kind) ||
        compareNodeIds(a.from, b.from) ||
        compareNodeIds(a.to, b.to),
    );
    const read = [...publishing.first.values()].reduce((n, list) => n + list.length, 0);
    const unread = publishing.total - read;
    const count = (type: string): number => nodes.filter((n) => n.type === type).length;
    const edgeCounts = Object.fromEntries(
      EDGE_KINDS.map((k) => [k, edges.filter((e) => e.kind === k).length]),
    ) as Record<TopologyEdge["kind"], number>;
    edgeCounts.published_port += unread;
    const summary = {
      devices: count("device"),
      subnets: count("subnet"),
      containers: count("container") + unread,
      edges: edgeCounts,
      unresolved_neighbours: Object.values(graph.unresolved).reduce((a, b) => a + b, 0),
      shared_subnets: graph.shared,
    };
    const cappedNodes = capList(nodes, MAX_NODES);
    const cappedEdges = capList(edges, MAX_EDGES);
    const truncated = cappedNodes.truncated || cappedEdges.truncated || unread > 0;
    const shown = new Set(nodes.filter((n) => n.type === "device").map((n) => n.name));
    const provenance = [
      ...network.filter((a) => shown.has(a.device.hostname)).map((a) => a.provenance),
      ...docker
        .filter((a) => shown.has(a.device.hostname) && a.status !== "missing")
        .map((a) => a.provenance),
    ];
    const lines = [
      `${summary.devices} devices, ${summary.subnets} subnets, ${summary.containers} containers; edges: ${EDGE_KINDS.map((k) => `${edgeCounts[k]} ${k}`).join(", ")}; ${summary.unresolved_neighbours} unresolved neighbours.`,
      ...graph.shared
        .slice(0, 20)
        .map(
          (s) =>
            `shared ${s.subnet} (${s.devices.length}): ${s.devices.slice(0, SUBNET_NAMES).join(", ")}${s.devices.length > SUBNET_NAMES ? `, … (${s.devices.length - SUBNET_NAMES} more)` : ""}`,
        ),
      ...provenanceLines(provenance.filter((p) => p.domain === "network")),
      ...addressLines(nodes, focus?.hostname ?? null),
      ...cappedEdges.items
        .filter((e) => e.kind !== "in_subnet")
        .slice(0, 100)
        .map((e) => `- ${e.from} -[${e.kind}]-> ${e.to} (${e.detail})`),
      ...(truncated ? ["truncated: narrow with device"] : []),
    ];
    return {
      structured: {
        summary,
        nodes: cappedNodes.items,
        edges: cappedEdges.items,
        truncated,
        provenance,
      },
      text: lines.join("\n"),
    };
  },
});

/** A fleet's fresh devices in one line; only stale, failed or live ones get a line of their own. */
function provenanceLines(network: Provenance[]): string[] {
  const plain = network.filter((p) => p.source === "stored" && !p.stale && p.live_error === undefined);
  const rest = network.filter((p) => !plain.includes(p));
  const oldest = Math.max(0, ...plain.map((p) => p.age_s ?? 0));
  return [
    ...(plain.length > 0
      ? [`network data of ${plain.length} device(s): stored, fresh (at most ${formatAge(oldest)} old)`]
      : []),
    ...rest.map(describeProvenance),
  ];
}

/** Each device's addresses while the map is small enough for them to fit; the asked-for device's always. */
function addressLines(
  nodes: readonly { type: string; name: string; addresses: string[] }[],
  focus: string | null,
): string[] {
  const all = nodes.filter((n) => n.type === "device");
  const devices = all.length > ADDRESS_LINES_UP_TO ? all.filter((n) => n.name === focus) : all;
  return devices.map((n) => `${n.name} addresses: ${n.addresses.join(", ") || "none"}`);
}
