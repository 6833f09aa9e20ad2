import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import {
  type ItemsParse,
  itemError,
  parseEachItem,
  type RawItem,
} from "@infrastructor/lib/collect/parse-items.ts";
import { checkShape, parseJsonText } from "@infrastructor/lib/collect/parse-json.ts";
import type { ItemError } from "@infrastructor/shared/schemas/source-result.ts";
import { z } from "zod";
import {
  AddressSchema,
  type Interface,
  InterfaceSchema,
  type Neighbour,
  NeighbourSchema,
  type Route,
  RouteSchema,
} from "../schema.ts";

/**
 * The elements of a top-level JSON array, one raw item each. Text that is not JSON (cut, or another
 * command's output) or not an array refuses the whole output; an element of the wrong shape is only
 * that element's item error. Older iproute2 prints nothing at all, not `[]`, for an empty table.
 */
function jsonElements(source: string, text: string, nameOf: (el: unknown) => unknown): RawItem<unknown>[] {
  const doc = text.trim() === "" ? [] : parseJsonText(source, text);
  if (!Array.isArray(doc)) throw parseFailed(source, "not a JSON array", { excerpt: text.slice(0, 200) });
  return doc.map((input) => {
    const name = nameOf(input);
    return {
      name: typeof name === "string" ? name : null,
      line: null,
      text: JSON.stringify(input) ?? "",
      input,
    };
  });
}

const field =
  (key: string) =>
  (el: unknown): unknown =>
    typeof el === "object" && el !== null ? (el as Record<string, unknown>)[key] : undefined;

/** The fields of `ip -j addr` we use; iproute2 prints many more, which are ignored. */
const IpLinkSchema = z.object({
  ifname: z.string().min(1),
  address: z.string().optional(),
  mtu: z.number().int().nonnegative().optional(),
  operstate: z.string().optional(),
  link_type: z.string().optional(),
  master: z.string().optional(),
  addr_info: z.array(z.unknown()).default([]),
});
const IpAddrInfoSchema = z.object({
  family: z.string(),
  local: z.string().optional(),
  prefixlen: z.number().int().optional(),
  scope: z.string().optional(),
});

/**
 * `ip -j addr`: interfaces with their addresses. An interface that cannot be read is an item error
 * named by its ifname; an address that cannot be read is an item error named `ifname address`, and its
 * interface keeps the other addresses.
 */
export function parseIpAddr(text: string): ItemsParse<Interface> {
  const SOURCE = "ip -j addr";
  const addressErrors: ItemError[] = [];
  const parsed = parseEachItem(jsonElements(SOURCE, text, field("ifname")), ({ input }) => {
    const link = checkShape(SOURCE, IpLinkSchema, input);
    const addresses: Interface["addresses"] = [];
    for (const raw of link.addr_info) {
      const local = field("local")(raw);
      const name = `${link.ifname} ${typeof local === "string" ? local : "?"}`;
      try {
        const a = checkShape(SOURCE, IpAddrInfoSchema, raw);
        if (
          (a.family !== "inet" && a.family !== "inet6") ||
          a.local === undefined ||
          a.prefixlen === undefined
        ) {
          continue; // not an IP address (e.g. a link-layer entry): nothing to report
        }
        addresses.push(
          checkShape(SOURCE, AddressSchema, {
            family: a.family,
            address: a.local,
            prefix_len: a.prefixlen,
            scope: a.scope ?? "global",
          }),
        );
      } catch (err) {
        addressErrors.push(itemError({ name, line: null, text: JSON.stringify(raw) ?? "" }, err));
      }
    }
    return checkShape(SOURCE, InterfaceSchema, {
      name: link.ifname,
      mac: macOrNull(link.address),
      mtu: link.mtu ?? null,
      state: (link.operstate ?? "unknown").toLowerCase().slice(0, 32),
      link_type: (link.link_type ?? "none").slice(0, 32),
      master: link.master ?? null,
      addresses,
    });
  });
  return { items: parsed.items, errors: [...parsed.errors, ...addressErrors] };
}

const IpRouteSchema = z.object({
  dst: z.string().min(1),
  gateway: z.string().optional(),
  dev: z.string().optional(),
  protocol: z.string().optional(),
  metric: z.number().int().nonnegative().optional(),
  prefsrc: z.string().optional(),
  type: z.string().optional(),
});

/**
 * `ip -j route` / `ip -j -6 route`: the family comes from the addresses, iproute2 does not print it. A
 * route that cannot be read is an item error named by its dst.
 */
export function parseIpRoute(text: string): ItemsParse<Route> {
  const SOURCE = "ip -j route";
  const parsed = parseEachItem(jsonElements(SOURCE, text, field("dst")), ({ input }): Route | null => {
    const r = checkShape(SOURCE, IpRouteSchema, input);
    if (r.type !== undefined && r.type !== "unicast") return null;
    const probe = r.gateway ?? r.prefsrc ?? r.dst;
    return checkShape(SOURCE, RouteSchema, {
      family: probe.includes(":") ? "inet6" : "inet",
      dst: r.dst,
      gateway: r.gateway ?? null,
      dev: r.dev ?? null,
      protocol: r.protocol ?? null,
      metric: r.metric ?? null,
      prefsrc: r.prefsrc ?? null,
    });
  });
  return { items: parsed.items.filter((r): r is Route => r !== null), errors: parsed.errors };
}

const IpNeighSchema = z.object({
  dst: z.string().min(1),
  dev: z.string().min(1),
  lladdr: z.string().optional(),
  state: z.array(z.string()).default([]),
});

/**
 * `ip -j neigh`: the ARP/NDP table, the hosts this one has talked to on each link. A neighbour that
 * cannot be read is an item error named by its address.
 */
export function parseIpNeigh(text: string): ItemsParse<Neighbour> {
  const SOURCE = "ip -j neigh";
  return parseEachItem(jsonElements(SOURCE, text, field("dst")), ({ input }) => {
    const n = checkShape(SOURCE, IpNeighSchema, input);
    return checkShape(SOURCE, NeighbourSchema, {
      address: n.dst,
      dev: n.dev,
      mac: macOrNull(n.lladdr),
      state: n.state.join(",").slice(0, 64),
    });
  });
}

/** All-zero (loopback) and absent hardware addresses say nothing about a device. */
function macOrNull(value: string | undefined): string | null {
  if (value === undefined) return null;
  const lower = value.toLowerCase();
  return /^[0-9a-f]{2}(:[0-9a-f]{2}){5,19}$/.test(lower) && !/^[0:]+$/.test(lower) ? lower : null;
}
