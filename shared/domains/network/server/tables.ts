import { int4, int8, jsonb, text, textArray, timestamptz } from "@infrastructor/lib/db/column.ts";
import { table } from "@infrastructor/lib/db/table.ts";

type Family = "inet" | "inet6";

/** The current state per device (sql/migrations/2026-11-25-16-network.sql); it guards the tables below. */
export const networkState = table(
  "network_state",
  {
    device_id: int4(),
    collected_at: timestamptz(),
    default_gateways: textArray().nullable(),
    dns_servers: textArray().nullable(),
    dns_search: textArray().nullable(),
    dns_source: text().nullable(),
    tailscale_backend_state: text().nullable(),
    source_errors: jsonb(),
  },
  { kind: "state", primaryKey: ["device_id"] },
);

export const networkInterfaces = table(
  "network_interfaces",
  {
    device_id: int4(),
    name: text(),
    mac: text().nullable(),
    mtu: int4().nullable(),
    state: text(),
    link_type: text(),
    master: text().nullable(),
  },
  { kind: "state", primaryKey: ["device_id", "name"] },
);

/** `address` is inet syntax with the prefix ('192.0.2.2/24'); query subnets with address::inet. */
export const networkAddresses = table(
  "network_addresses",
  { device_id: int4(), interface: text(), family: text<Family>(), address: text(), scope: text() },
  { kind: "state", primaryKey: ["device_id", "interface", "address"] },
);

export const networkRoutes = table(
  "network_routes",
  {
    device_id: int4(),
    ordinal: int4(),
    family: text<Family>(),
    dst: text(),
    gateway: text().nullable(),
    dev: text().nullable(),
    protocol: text().nullable(),
    metric: int8().nullable(),
    prefsrc: text().nullable(),
  },
  { kind: "state", primaryKey: ["device_id", "ordinal"] },
);

export const networkNeighbours = table(
  "network_neighbours",
  { device_id: int4(), dev: text(), address: text(), mac: text().nullable(), state: text() },
  { kind: "state", primaryKey: ["device_id", "dev", "address"] },
);

export const listeningPorts = table(
  "listening_ports",
  {
    device_id: int4(),
    protocol: text<"tcp" | "udp">(),
    address: text(),
    port: int4(),
    process: text().nullable(),
    pid: int4().nullable(),
  },
  { kind: "state", primaryKey: ["device_id", "protocol", "address", "port"] },
);

/** Tailscale peers and LLDP neighbours this device sees. */
export const networkPeers = table(
  "network_peers",
  {
    device_id: int4(),
    source: text<"tailscale" | "lldp">(),
    ordinal: int4(),
    name: text().nullable(),
    local_interface: text().nullable(),
    remote_port: text().nullable(),
    addresses: textArray().withDefault(),
    os: text().nullable(),
    status: text<"online" | "offline">().nullable(),
    last_seen: timestamptz().nullable(),
  },
  { kind: "state", primaryKey: ["device_id", "source", "ordinal"] },
);

export const NETWORK_TABLE_DECLARATIONS = [
  networkState,
  networkInterfaces,
  networkAddresses,
  networkRoutes,
  networkNeighbours,
  listeningPorts,
  networkPeers,
] as const;
