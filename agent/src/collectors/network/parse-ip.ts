import type { Interface, Neighbour, Route } from "@infrastructor/shared/schemas/network.ts";
import { z } from "zod";
import { checkShape, parseJsonText } from "../../lib/parse-json.ts";

/** Older iproute2 prints nothing at all, not `[]`, for an empty table. */
function jsonOrEmpty(source: string, text: string): unknown {
  return text.trim() === "" ? [] : parseJsonText(source, text);
}

/** The fields of `ip -j addr` we use; iproute2 prints many more, which are ignored. */
const IpAddrSchema = z.array(
  z.object({
    ifname: z.string().min(1),
    address: z.string().optional(),
    mtu: z.number().int().nonnegative().optional(),
    operstate: z.string().optional(),
    link_type: z.string().optional(),
    master: z.string().optional(),
    addr_info: z
      .array(
        z.object({
          family: z.string(),
          local: z.string().optional(),
          prefixlen: z.number().int().optional(),
          scope: z.string().optional(),
        }),
      )
      .default([]),
  }),
);

/** `ip -j addr`: interfaces with their addresses. */
export function parseIpAddr(text: string): Interface[] {
  const links = checkShape("ip -j addr", IpAddrSchema, jsonOrEmpty("ip -j addr", text));
  return links.map((link) => ({
    name: link.ifname,
    mac: macOrNull(link.address),
    mtu: link.mtu ?? null,
    state: (link.operstate ?? "unknown").toLowerCase(),
    link_type: link.link_type ?? "none",
    master: link.master ?? null,
    addresses: link.addr_info.flatMap((a) =>
      (a.family === "inet" || a.family === "inet6") && a.local !== undefined && a.prefixlen !== undefined
        ? [{ family: a.family, address: a.local, prefix_len: a.prefixlen, scope: a.scope ?? "global" }]
        : [],
    ),
  }));
}

const IpRouteSchema = z.array(
  z.object({
    dst: z.string().min(1),
    gateway: z.string().optional(),
    dev: z.string().optional(),
    protocol: z.string().optional(),
    metric: z.number().int().nonnegative().optional(),
    prefsrc: z.string().optional(),
    type: z.string().optional(),
  }),
);

/** `ip -j route` / `ip -j -6 route`: the family comes from the addresses, iproute2 does not print it. */
export function parseIpRoute(text: string): Route[] {
  const routes = checkShape("ip -j route", IpRouteSchema, jsonOrEmpty("ip -j route", text));
  return routes
    .filter((r) => r.type === undefined || r.type === "unicast")
    .map((r) => {
      const probe = r.gateway ?? r.prefsrc ?? r.dst;
      return {
        family: probe.includes(":") ? ("inet6" as const) : ("inet" as const),
        dst: r.dst,
        gateway: r.gateway ?? null,
        dev: r.dev ?? null,
        protocol: r.protocol ?? null,
        metric: r.metric ?? null,
        prefsrc: r.prefsrc ?? null,
      };
    });
}

const IpNeighSchema = z.array(
  z.object({
    dst: z.string().min(1),
    dev: z.string().min(1),
    lladdr: z.string().optional(),
    state: z.array(z.string()).default([]),
  }),
);

/** `ip -j neigh`: the ARP/NDP table, the hosts this one has talked to on each link. */
export function parseIpNeigh(text: string): Neighbour[] {
  const entries = checkShape("ip -j neigh", IpNeighSchema, jsonOrEmpty("ip -j neigh", text));
  return entries.map((n) => ({
    address: n.dst,
    dev: n.dev,
    mac: macOrNull(n.lladdr),
    state: n.state.join(",").slice(0, 64),
  }));
}

/** All-zero (loopback) and absent hardware addresses say nothing about a device. */
function macOrNull(value: string | undefined): string | null {
  if (value === undefined) return null;
  const lower = value.toLowerCase();
  return /^[0-9a-f]{2}(:[0-9a-f]{2}){5,19}$/.test(lower) && !/^[0:]+$/.test(lower) ? lower : null;
}
