import { describePage, PageArgs, PageSchema, paginate } from "@infrastructor/mcp/answer/paginate.ts";
import { describeProvenance, ProvenanceSchema } from "@infrastructor/mcp/answer/provenance.ts";
import { capList } from "@infrastructor/mcp/answer/truncate.ts";
import { DeviceArg } from "@infrastructor/mcp/args/names.ts";
import { defineTool, READ_ONLY } from "@infrastructor/mcp/tools/tool.ts";
import { AppError, type ErrorCode } from "@infrastructor/shared/errors.ts";
import { z } from "zod";
import { readDocker, shortId } from "./containers/docker-data.ts";

/** Attached containers listed per network; the count is always complete. */
const MAX_MEMBERS = 50;

const NetworkSchema = z.object({
  name: z.string(),
  id: z.string(),
  driver: z.string().describe("bridge, host, null, macvlan, overlay..."),
  scope: z.string(),
  subnets: z.array(z.string()),
  gateways: z.array(z.string()),
  container_count: z.number(),
  containers: z.array(
    z.object({
      name: z.string().nullable(),
      state: z.string().nullable().describe("from the container list; null when the engine did not list it"),
      ipv4_address: z.string().nullable(),
      ipv6_address: z.string().nullable(),
    }),
  ),
  containers_truncated: z.boolean(),
});

export const listDockerNetworks = defineTool({
  name: "list_docker_networks",
  title: "List Docker networks",
  description:
    "The Docker (or podman) networks of one device: name, driver, scope, subnets, gateways and the " +
    "containers attached with their IP addresses and state. Networks with containers come first. Use " +
    "get_service_dependencies for what one container shares with others.",
  input: { device: DeviceArg, ...PageArgs },
  output: {
    device: z.string(),
    summary: z.object({
      networks: z.number(),
      by_driver: z.record(z.string(), z.number()),
      empty: z.array(z.string()).describe("networks no container is attached to"),
    }),
    networks: z.array(NetworkSchema),
    page: PageSchema,
    provenance: ProvenanceSchema,
  },
  annotations: READ_ONLY,
  async run(ctx, args) {
    const { answer, data, provenance } = await readDocker(ctx, args.device);
    const host = answer.device.hostname;
    if (!data.networks.ok) {
      throw new AppError(
        data.networks.error.code as ErrorCode,
        `the networks of ${host} could not be read: ${data.networks.error.message}`,
        { details: { device: host, provenance } },
      );
    }
    const states = new Map(data.containers.map((c) => [c.id, c.state]));
    const all = data.networks.items
      .map((n) => {
        const members = capList(n.containers, MAX_MEMBERS);
        return {
          name: n.name,
          id: shortId(n.id),
          driver: n.driver,
          scope: n.scope,
          subnets: n.subnets,
          gateways: n.gateways,
          container_count: n.containers.length,
          containers: members.items.map((m) => ({
            name: m.name,
            state: states.get(m.id) ?? null,
            ipv4_address: m.ipv4_address,
            ipv6_address: m.ipv6_address,
          })),
          containers_truncated: members.truncated,
        };
      })
      .sort(
        (a, b) =>
          Number(b.container_count > 0) - Number(a.container_count > 0) || a.name.localeCompare(b.name),
      );
    const byDriver: Record<string, number> = {};
    for (const n of all) byDriver[n.driver] = (byDriver[n.driver] ?? 0) + 1;
    const empty = all.filter((n) => n.container_count === 0).map((n) => n.name);
    const { items, page } = paginate(all, args);
    const lines = items.map((n) => {
      const members = n.containers.map(
        (m) => `${m.name ?? "?"}${m.ipv4_address ? ` ${m.ipv4_address}` : ""}`,
      );
      const net = n.subnets.length
        ? ` ${n.subnets.join(", ")}${n.gateways.length ? ` gw ${n.gateways.join(", ")}` : ""}`
        : "";
      return `- ${n.name} (${n.driver}, ${n.scope})${net}: ${n.container_count ? members.join(", ") : "no containers"}${n.containers_truncated ? ", ..." : ""}`;
    });
    const drivers = Object.entries(byDriver)
      .map(([d, k]) => `${k} ${d}`)
      .join(", ");
    return {
      structured: {
        device: host,
        summary: { networks: all.length, by_driver: byDriver, empty },
        networks: items,
        page,
        provenance,
      },
      text: [
        `${host}: ${all.length} networks (${drivers || "none"}).`,
        describeProvenance(provenance),
        describePage(page, "networks"),
        ...lines,
      ].join("\n"),
    };
  },
});
