import { sourceResultSchema } from "@infrastructor/shared/schemas/source-result.ts";
import { z } from "zod";

/**
 * The `network` domain: how a host is connected, enough to draw a cross-device topology (shared subnets,
 * neighbours, published ports). Each source is a SourceResult: a failed command is data beside the
 * others. `tailscale` and `lldp` are null when the tool is not installed.
 */
const name = z.string().min(1).max(255);
/** An IPv4 or IPv6 address without zone; strict, because the collector stores it as `inet`. */
const ip = z.union([z.ipv4(), z.ipv6()]);
const mac = z
  .string()
  .regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5,19}$/)
  .nullable();
const int4 = z.number().int().nonnegative().max(2_147_483_647);

export const AddressSchema = z.object({
  family: z.enum(["inet", "inet6"]),
  address: ip,
  prefix_len: z.number().int().min(0).max(128),
  scope: z.string().max(32),
});

export const InterfaceSchema = z.object({
  name,
  mac,
  mtu: int4.nullable(),
  /** operstate, lower case: up, down, unknown, dormant, ... */
  state: z.string().max(32),
  /** link_type: ether, loopback, none (tunnels), ... */
  link_type: z.string().max(32),
  /** The bridge or bond this interface is enslaved to. */
  master: name.nullable(),
  addresses: z.array(AddressSchema).max(256),
});
export type Interface = z.infer<typeof InterfaceSchema>;

export const RouteSchema = z.object({
  family: z.enum(["inet", "inet6"]),
  /** `default` or a prefix in CIDR notation (a host route gets /32 or /128). */
  dst: z.string().min(1).max(64),
  gateway: ip.nullable(),
  dev: name.nullable(),
  protocol: z.string().max(32).nullable(),
  metric: int4.nullable(),
  prefsrc: ip.nullable(),
});
export type Route = z.infer<typeof RouteSchema>;

export const NeighbourSchema = z.object({
  address: ip,
  dev: name,
  mac,
  /** REACHABLE, STALE, FAILED, ... (several joined with `,`). */
  state: z.string().max(64),
});
export type Neighbour = z.infer<typeof NeighbourSchema>;

export const ListeningPortSchema = z.object({
  protocol: z.enum(["tcp", "udp"]),
  /** The bound address: `0.0.0.0`/`::`/`*` mean every address. */
  address: z.string().min(1).max(64),
  port: z.number().int().min(0).max(65535),
  /** Set when ss may see the owner (root, or the agent's own processes). */
  process: z.string().max(255).nullable(),
  pid: int4.nullable(),
});
export type ListeningPort = z.infer<typeof ListeningPortSchema>;

export const DnsSchema = z.object({
  servers: z.array(ip).max(16),
  search: z.array(z.string().min(1).max(253)).max(16),
  /** The file read: systemd-resolved's upstream list replaces its 127.0.0.53 stub. */
  source: z.string().max(255),
});
export type Dns = z.infer<typeof DnsSchema>;

export const TailscalePeerSchema = z.object({
  hostname: name,
  dns_name: z.string().max(255),
  os: z.string().max(64),
  ips: z.array(ip).max(16),
  online: z.boolean(),
  exit_node: z.boolean(),
  last_seen: z.string().max(64).nullable(),
});
export type TailscalePeer = z.infer<typeof TailscalePeerSchema>;

export const TailscaleSchema = z.object({
  backend_state: z.string().max(64),
  self: TailscalePeerSchema.nullable(),
  peers: z.array(TailscalePeerSchema).max(4096),
});
export type Tailscale = z.infer<typeof TailscaleSchema>;

export const LldpNeighbourSchema = z.object({
  /** Our interface the neighbour was seen on. */
  interface: name,
  chassis_name: z.string().max(255).nullable(),
  chassis_id: z.string().max(255).nullable(),
  port_id: z.string().max(255).nullable(),
  port_description: z.string().max(255).nullable(),
  mgmt_ips: z.array(ip).max(16),
});
export type LldpNeighbour = z.infer<typeof LldpNeighbourSchema>;

/**
 * How many items of each list an agent sends (the schema's limits above are looser, for older agents):
 * a local user can open thousands of sockets and a LAN can hold thousands of neighbours, and one
 * poll's message must stay under the NATS max_payload. The rest is counted in the source's `truncated`.
 */
export const NETWORK_SENT_MAX = {
  interfaces: 512,
  routes: 2000,
  neighbours: 2000,
  listening: 2000,
  lldp: 256,
} as const;

export const NetworkDataSchema = z.object({
  interfaces: sourceResultSchema(z.array(InterfaceSchema).max(4096)),
  routes: sourceResultSchema(z.array(RouteSchema).max(10_000)),
  neighbours: sourceResultSchema(z.array(NeighbourSchema).max(10_000)),
  listening: sourceResultSchema(z.array(ListeningPortSchema).max(10_000)),
  dns: sourceResultSchema(DnsSchema),
  tailscale: sourceResultSchema(TailscaleSchema).nullable(),
  lldp: sourceResultSchema(z.array(LldpNeighbourSchema).max(1024)).nullable(),
});
export type NetworkData = z.infer<typeof NetworkDataSchema>;
