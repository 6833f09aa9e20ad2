import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import { type ItemsParse, parseEachItem } from "@infrastructor/lib/collect/parse-items.ts";
import { checkShape, parseJson } from "@infrastructor/lib/collect/parse-json.ts";
import { z } from "zod";
import { type LldpNeighbour, LldpNeighbourSchema } from "../schema.ts";

const SOURCE = "lldpctl -f json";

/**
 * lldpctl's JSON mirrors its XML: a list of one element becomes a plain object, so `interface`,
 * `chassis` and `mgmt-ip` are each either one value or an array. The chassis is keyed by its system
 * name, or (no name advertised) holds `id` directly.
 */
const IdSchema = z.object({ type: z.string().optional(), value: z.string() });
const ChassisSchema = z.object({
  id: IdSchema.optional(),
  "mgmt-ip": z.union([z.string(), z.array(z.string())]).optional(),
});
const PortSchema = z.object({ id: IdSchema.optional(), descr: z.string().optional() });
const InterfaceSchema = z.object({
  chassis: z.record(z.string(), z.unknown()).optional(),
  port: PortSchema.optional(),
});
const LldpSchema = z.object({
  lldp: z
    .union([
      z.object({
        interface: z.union([z.record(z.string(), z.unknown()), z.array(z.record(z.string(), z.unknown()))]),
      }),
      z.object({}),
    ])
    .or(z.array(z.unknown()).length(0)),
});

/** One neighbour per interface entry; an entry that cannot be read is an item error named by its interface. */
export function parseLldpctl(text: string): ItemsParse<LldpNeighbour> {
  const doc = parseJson(SOURCE, text, LldpSchema);
  const lldp = doc.lldp as { interface?: Record<string, unknown> | Record<string, unknown>[] };
  if (lldp.interface === undefined) return { items: [], errors: [] };
  const entries = Array.isArray(lldp.interface) ? lldp.interface : [lldp.interface];
  const raw = entries.flatMap((entry) =>
    Object.entries(entry).map(([ifname, input]) => ({
      name: ifname,
      line: null,
      text: JSON.stringify(input) ?? "",
      input,
    })),
  );
  return parseEachItem(raw, ({ name, input }) => {
    const ifname = name ?? "";
    const item = checkShape(SOURCE, InterfaceSchema, input);
    const { name: chassisName, chassis } = chassisOf(item.chassis ?? {}, ifname);
    const ips = chassis["mgmt-ip"];
    return checkShape(SOURCE, LldpNeighbourSchema, {
      interface: ifname.slice(0, 255),
      chassis_name: chassisName,
      chassis_id: chassis.id?.value.slice(0, 255) ?? null,
      port_id: item.port?.id?.value.slice(0, 255) ?? null,
      port_description: item.port?.descr?.slice(0, 255) ?? null,
      mgmt_ips: (ips === undefined ? [] : Array.isArray(ips) ? ips : [ips]).slice(0, 16),
    });
  });
}

function chassisOf(
  raw: Record<string, unknown>,
  ifname: string,
): { name: string | null; chassis: z.infer<typeof ChassisSchema> } {
  if ("id" in raw) return { name: null, chassis: checkShape(SOURCE, ChassisSchema, raw) };
  const [name, value] = Object.entries(raw)[0] ?? [];
  if (name === undefined) return { name: null, chassis: {} };
  if (typeof value !== "object" || value === null) {
    throw parseFailed(SOURCE, `chassis of ${ifname} is not an object`, { excerpt: name });
  }
  return { name: name.slice(0, 255), chassis: checkShape(SOURCE, ChassisSchema, value) };
}
