import type { ItemsParse } from "@infrastructor/lib/collect/parse-items.ts";
import { nameFrom, parseJsonItems } from "@infrastructor/lib/collect/parse-json-items.ts";
import type { DockerNetwork } from "../schema.ts";
import { NetworkShape } from "./api-shapes.ts";
import { nullIfEmpty } from "./fields.ts";

const SOURCE = "GET /networks";

/**
 * `GET /networks`. Docker has not listed attached containers here since API 1.28 (only
 * /networks/{id} does), so the collector adds them from the containers' own attachments.
 */
export function parseNetworks(text: string): ItemsParse<DockerNetwork> {
  return parseJsonItems(text, {
    source: SOURCE,
    element: NetworkShape,
    name: (raw) => nameFrom(raw, "Name", "Id"),
    convert: (n) => {
      const ipam = n.IPAM?.Config ?? [];
      return {
        id: n.Id,
        name: n.Name,
        driver: n.Driver ?? "",
        scope: n.Scope ?? "",
        subnets: ipam.flatMap((c) => (c.Subnet ? [c.Subnet] : [])),
        gateways: ipam.flatMap((c) => (c.Gateway ? [c.Gateway] : [])),
        containers: Object.entries(n.Containers ?? {}).map(([id, c]) => ({
          id,
          name: nullIfEmpty(c.Name),
          ipv4_address: nullIfEmpty(c.IPv4Address),
          ipv6_address: nullIfEmpty(c.IPv6Address),
        })),
      };
    },
  });
}
