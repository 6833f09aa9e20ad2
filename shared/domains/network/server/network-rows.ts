import type { SourceResult } from "@infrastructor/shared/schemas/source-result.ts";
import type { NetworkData } from "../schema.ts";

/** One table's new rows for one device; null when its source failed, so the old rows stay. */
export type TableRows = Record<string, unknown>[] | null;

export interface NetworkRows {
  state: Record<string, unknown>;
  network_interfaces: TableRows;
  network_addresses: TableRows;
  network_routes: TableRows;
  network_neighbours: TableRows;
  listening_ports: TableRows;
  network_peers: TableRows;
}

const value = <T>(r: SourceResult<T> | null): T | null => (r?.ok ? r.value : null);

/** Rows of every network table for one device, keyed by column name (json_to_recordset matches names). */
export function networkRows(deviceId: number, collectedAt: Date, data: NetworkData): NetworkRows {
  const interfaces = value(data.interfaces);
  const routes = value(data.routes);
  const dns = value(data.dns);
  const errors: Record<string, unknown> = {};
  for (const [source, result] of Object.entries(data)) {
    if (result !== null && !result.ok) errors[source] = result.error;
  }
  return {
    state: {
      device_id: deviceId,
      collected_at: collectedAt.toISOString(),
      // null (a failed source) keeps the stored value.
      default_gateways: routes?.filter((r) => r.dst === "default" && r.gateway).map((r) => r.gateway) ?? null,
      dns_servers: dns?.servers ?? null,
      dns_search: dns?.search ?? null,
      dns_source: dns?.source ?? null,
      // null when tailscale is absent or failed (source_errors tells which).
      tailscale_backend_state: value(data.tailscale)?.backend_state ?? null,
      source_errors: errors,
    },
    network_interfaces:
      interfaces?.map((i) => ({
        device_id: deviceId,
        name: i.name,
        mac: i.mac,
        mtu: i.mtu,
        state: i.state,
        link_type: i.link_type,
        master: i.master,
      })) ?? null,
    network_addresses:
      interfaces?.flatMap((i) =>
        unique(i.addresses, (a) => a.address).map((a) => ({
          device_id: deviceId,
          interface: i.name,
          family: a.family,
          address: `${a.address}/${a.prefix_len}`,
          scope: a.scope,
        })),
      ) ?? null,
    network_routes: routes?.map((r, ordinal) => ({ device_id: deviceId, ordinal, ...r })) ?? null,
    network_neighbours: mapOk(data.neighbours, (list) =>
      unique(list, (n) => `${n.dev} ${n.address}`).map((n) => ({ device_id: deviceId, ...n })),
    ),
    // Several sockets may share an address and port (SO_REUSEPORT, one per worker): one row each.
    listening_ports: mapOk(data.listening, (list) =>
      unique(list, (p) => `${p.protocol} ${p.address} ${p.port}`).map((p) => ({ device_id: deviceId, ...p })),
    ),
    network_peers: peerRows(deviceId, data),
  };
}

/** Tailscale peers and LLDP neighbours; null (keep the old rows) if either source failed. */
function peerRows(deviceId: number, data: NetworkData): TableRows {
  if ((data.tailscale !== null && !data.tailscale.ok) || (data.lldp !== null && !data.lldp.ok)) return null;
  const tailscale = (value(data.tailscale)?.peers ?? []).map((p, ordinal) => ({
    device_id: deviceId,
    source: "tailscale",
    ordinal,
    name: p.hostname,
    local_interface: null,
    remote_port: null,
    addresses: p.ips,
    os: p.os,
    status: p.online ? "online" : "offline",
    last_seen: p.last_seen,
  }));
  const lldp = (value(data.lldp) ?? []).map((n, ordinal) => ({
    device_id: deviceId,
    source: "lldp",
    ordinal,
    name: n.chassis_name ?? n.chassis_id,
    local_interface: n.interface,
    remote_port: n.port_description ?? n.port_id,
    addresses: n.mgmt_ips,
    os: null,
    status: null,
    last_seen: null,
  }));
  return [...tailscale, ...lldp];
}

function mapOk<T>(result: SourceResult<T>, map: (value: T) => Record<string, unknown>[]): TableRows {
  return result.ok ? map(result.value) : null;
}

function unique<T>(list: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return list.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
