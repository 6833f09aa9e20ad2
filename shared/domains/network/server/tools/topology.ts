import type { PublishingContainer } from "@infrastructor/domains/docker/server/tools/containers/container-store.ts";
import { byteOrder } from "@infrastructor/mcp/answer/byte-order.ts";
import { z } from "zod";
import type { Interface, NetworkData } from "../../schema.ts";
import { subnetOf } from "./ip-net.ts";

export const NodeSchema = z.object({
  id: z.string().describe("device:NAME, subnet:CIDR or container:DEVICE/NAME"),
  type: z.enum(["device", "subnet", "container"]),
  name: z.string(),
  device: z.string().nullable().describe("the host of a container"),
  addresses: z.array(z.string()).describe("a device's global addresses (interface: address/prefix)"),
});
export type TopologyNode = z.infer<typeof NodeSchema>;

export const EdgeSchema = z.object({
  from: z.string(),
  to: z.string(),
  kind: z.enum(["in_subnet", "neighbour", "lldp", "tailscale", "published_port"]),
  detail: z.string(),
});
export type TopologyEdge = z.infer<typeof EdgeSchema>;

export interface DeviceNetwork {
  name: string;
  network: NetworkData | null;
  /** Its containers (those publishing no port are skipped). */
  containers: readonly PublishingContainer[];
}

export interface Topology {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
  /** Subnets two or more devices have an address in. */
  shared: { subnet: string; devices: string[] }[];
  /** Per device: neighbours and peers that are no known device (a router, a phone). */
  unresolved: Record<string, number>;
}

/**
 * Bridges of container engines and hypervisors: every docker host has a 172.17.0.0/16 of its own, so
 * their subnets would join unrelated hosts. Containers appear through their published ports instead.
 */
const HOST_LOCAL = /^(docker\d+|br-[0-9a-f]{12}|cni-podman\d+|podman\d+|veth.*|virbr\d+|lxcbr\d+|lxdbr\d+)$/;
const DEAD_NEIGHBOUR = /FAILED|INCOMPLETE/;

const deviceId = (name: string): string => `device:${name}`;
const CONTAINER = "container:";
const NODE_RANK = { device: 0, subnet: 1, container: 2 } as const;

/** Devices, then subnets, then containers; each in the order of compareNodeIds. */
export function compareNodes(a: TopologyNode, b: TopologyNode): number {
  return NODE_RANK[a.type] - NODE_RANK[b.type] || compareNodeIds(a.id, b.id);
}

/**
 * Byte order of ids, except that containers sort by (device, name) as the stored rows come
 * (publishingContainers): "container:a/x" before "container:a-b/y", though "-" sorts before "/".
 */
export function compareNodeIds(a: string, b: string): number {
  if (!a.startsWith(CONTAINER) || !b.startsWith(CONTAINER)) return byteOrder(a, b);
  const [hostA, nameA] = splitContainerId(a);
  const [hostB, nameB] = splitContainerId(b);
  return byteOrder(hostA, hostB) || byteOrder(nameA, nameB);
}

/** Hostnames hold no "/": the first one after the prefix ends the device. */
function splitContainerId(id: string): [string, string] {
  const slash = id.indexOf("/", CONTAINER.length);
  return [id.slice(CONTAINER.length, slash), id.slice(slash + 1)];
}

/** The cross-device graph of every device's stored network (and docker) data. Pure. */
export function buildTopology(devices: readonly DeviceNetwork[]): Topology {
  const byIp = new Map<string, string>();
  const byMac = new Map<string, string>();
  const names = new Set(devices.map((d) => d.name));
  for (const d of devices) {
    for (const iface of interfacesOf(d)) {
      if (iface.mac !== null && iface.link_type !== "loopback") byMac.set(iface.mac, d.name);
      for (const a of iface.addresses) if (a.scope !== "host") byIp.set(a.address, d.name);
    }
    const self = d.network?.tailscale?.ok ? d.network.tailscale.value.self : null;
    for (const ip of self?.ips ?? []) byIp.set(ip, d.name);
  }
  const resolve = (self: string, ips: readonly string[], mac: string | null, host: string | null) => {
    for (const ip of ips) {
      const found = byIp.get(ip);
      if (found !== undefined && found !== self) return found;
    }
    const viaMac = mac === null ? undefined : byMac.get(mac);
    if (viaMac !== undefined && viaMac !== self) return viaMac;
    const named = host?.toLowerCase();
    return named !== undefined && named !== self && names.has(named) ? named : null;
  };

  const nodes = new Map<string, TopologyNode>();
  const edges = new Map<string, TopologyEdge>();
  const members = new Map<string, Set<string>>();
  const unresolved: Record<string, number> = {};
  const unknown = (name: string): void => {
    unresolved[name] = (unresolved[name] ?? 0) + 1;
  };
  const addEdge = (edge: TopologyEdge): void => {
    edges.set(`${edge.kind}|${edge.from}|${edge.to}|${edge.detail}`, edge);
  };

  for (const d of devices) {
    const me = deviceId(d.name);
    const addresses: string[] = [];
    for (const iface of interfacesOf(d)) {
      if (iface.link_type === "loopback" || HOST_LOCAL.test(iface.name) || iface.state === "down") continue;
      for (const a of iface.addresses) {
        if (a.scope !== "global") continue;
        addresses.push(`${iface.name}: ${a.address}/${a.prefix_len}`);
        const subnet = subnetOf(a.address, a.prefix_len);
        if (subnet === null || a.prefix_len >= (a.family === "inet" ? 32 : 128)) continue;
        const id = `subnet:${subnet}`;
        nodes.set(id, { id, type: "subnet", name: subnet, device: null, addresses: [] });
        addEdge({ from: me, to: id, kind: "in_subnet", detail: `${iface.name} ${a.address}` });
        const set = members.get(subnet) ?? new Set<string>();
        set.add(d.name);
        members.set(subnet, set);
      }
    }
    nodes.set(me, { id: me, type: "device", name: d.name, device: null, addresses });

    const net = d.network;
    for (const n of net?.neighbours.ok ? net.neighbours.value : []) {
      if (DEAD_NEIGHBOUR.test(n.state)) continue;
      const other = resolve(d.name, [n.address], n.mac, null);
      if (other === null) unknown(d.name);
      else
        addEdge({
          from: me,
          to: deviceId(other),
          kind: "neighbour",
          detail: `${n.dev} ${n.address} ${n.state}`,
        });
    }
    for (const l of net?.lldp?.ok ? net.lldp.value : []) {
      const other = resolve(d.name, l.mgmt_ips, null, l.chassis_name);
      if (other === null) unknown(d.name);
      else
        addEdge({
          from: me,
          to: deviceId(other),
          kind: "lldp",
          detail: `${l.interface} -> ${l.port_id ?? l.port_description ?? "?"}`,
        });
    }
    for (const p of net?.tailscale?.ok ? net.tailscale.value.peers : []) {
      const other = resolve(d.name, p.ips, null, p.hostname);
      if (other === null) unknown(d.name);
      else
        addEdge({
          from: me,
          to: deviceId(other),
          kind: "tailscale",
          detail: `${p.hostname} ${p.ips[0] ?? ""} ${p.online ? "online" : "offline"}`.trim(),
        });
    }
    for (const c of d.containers) {
      const published = c.ports.filter((p) => p.host_port !== null);
      if (published.length === 0) continue;
      const id = `${CONTAINER}${d.name}/${c.name}`;
      nodes.set(id, { id, type: "container", name: c.name, device: d.name, addresses: [] });
      const ports = published.map(
        (p) => `${p.host_ip ?? "*"}:${p.host_port}->${p.container_port}/${p.protocol}`,
      );
      addEdge({ from: id, to: me, kind: "published_port", detail: [...new Set(ports)].join(", ") });
    }
  }
  const shared = [...members.entries()]
    .filter(([, set]) => set.size > 1)
    .map(([subnet, set]) => ({ subnet, devices: [...set].sort() }))
    .sort((a, b) => b.devices.length - a.devices.length || a.subnet.localeCompare(b.subnet));
  return { nodes: [...nodes.values()], edges: [...edges.values()], shared, unresolved };
}

/** The part of the graph around one device: its edges, its subnets' members, its containers. */
export function neighbourhood(topology: Topology, device: string): Topology {
  const me = deviceId(device);
  const subnets = new Set(
    topology.edges.filter((e) => e.kind === "in_subnet" && e.from === me).map((e) => e.to),
  );
  const edges = topology.edges.filter(
    (e) => e.from === me || e.to === me || (e.kind === "in_subnet" && subnets.has(e.to)),
  );
  const keep = new Set([me, ...edges.flatMap((e) => [e.from, e.to])]);
  const shared = topology.shared.filter((s) => s.devices.includes(device));
  return {
    nodes: topology.nodes.filter((n) => keep.has(n.id)),
    edges,
    shared,
    unresolved: { [device]: topology.unresolved[device] ?? 0 },
  };
}

function interfacesOf(d: DeviceNetwork): Interface[] {
  return d.network?.interfaces.ok ? d.network.interfaces.value : [];
}
