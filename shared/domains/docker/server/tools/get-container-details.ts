import { containerLifecycle } from "@infrastructor/domains/docker/views.ts";
import { describeProvenance, ProvenanceSchema } from "@infrastructor/mcp/answer/provenance.ts";
import { capList } from "@infrastructor/mcp/answer/truncate.ts";
import { ContainerArg, DeviceArg } from "@infrastructor/mcp/args/names.ts";
import { describeUnreadable, ItemErrorsSchema } from "@infrastructor/mcp/tools/common/item-errors.ts";
import { defineTool, READ_ONLY } from "@infrastructor/mcp/tools/tool.ts";
import { AppError, ErrorCode, toAppError } from "@infrastructor/shared/errors.ts";
import { z } from "zod";
import {
  ComposeSchema,
  DockerAttachmentSchema,
  type DockerContainer,
  DockerMountSchema,
  DockerPortSchema,
  DockerStatsSchema,
  SourceErrorSchema,
} from "../../schema.ts";
import { formatBytes } from "./containers/container-row.ts";
import { readDocker } from "./containers/docker-data.ts";
import { findContainer } from "./containers/find-container.ts";
import { describePort } from "./containers/ports.ts";

const MAX_LABELS = 40;
const MAX_LABEL_CHARS = 300;
const MAX_MOUNTS = 50;
const MAX_PORTS = 100;

export const getContainerDetails = defineTool({
  name: "get_container_details",
  title: "Container details",
  description:
    "One container on one device, by name or id prefix: image, state, health, exit code, restarts, times, " +
    "published ports, mounts, networks with IP addresses, Compose project/service/depends_on, labels (capped) " +
    "and the latest stats (cpu %, memory, network and block I/O, pids). Environment variables are never " +
    "collected nor shown. An unknown name is NOT_FOUND with the closest names.",
  input: { device: DeviceArg, container_name: ContainerArg },
  output: {
    device: z.string(),
    container: z.object({
      id: z.string(),
      name: z.string(),
      image: z.string(),
      image_id: z.string().nullable(),
      state: z.string(),
      status: z.string(),
      health: z.string(),
      exit_code: z.number().nullable(),
      restart_count: z.number(),
      created_at: z.string().nullable(),
      started_at: z.string().nullable(),
      finished_at: z.string().nullable(),
      ports: z.array(DockerPortSchema),
      mounts: z.array(DockerMountSchema),
      networks: z.array(DockerAttachmentSchema),
      labels: z.record(z.string(), z.string()),
      labels_total: z.number(),
      compose: ComposeSchema.nullable(),
      stats: z
        .union([DockerStatsSchema, z.object({ ok: z.literal(false), error: SourceErrorSchema })])
        .nullable()
        .describe("null when the container is not running"),
      inspect_error: SourceErrorSchema.nullable(),
    }),
    truncated: z
      .boolean()
      .describe("true when labels, mounts or ports were cut (or a label value shortened)"),
    unreadable: z.object({
      item_errors: ItemErrorsSchema.describe("other containers of this device its agent could not read"),
      dropped: z.number(),
    }),
    provenance: ProvenanceSchema,
  },
  annotations: READ_ONLY,
  async run(ctx, args) {
    const { answer, data, provenance } = await readDocker(ctx, args.device);
    const host = answer.device.hostname;
    const unreadable = { errors: data.item_errors ?? [], dropped: data.item_errors_dropped };
    const c = findReadable(data, host, args.container_name, unreadable.errors);
    const labels = capLabels(c.labels);
    const mounts = capList(c.mounts, MAX_MOUNTS);
    const ports = capList(c.ports, MAX_PORTS);
    const container = {
      id: c.id,
      name: c.name,
      image: c.image,
      image_id: c.image_id,
      ...containerLifecycle(c),
      ports: ports.items,
      mounts: mounts.items,
      networks: c.networks,
      labels: labels.labels,
      labels_total: Object.keys(c.labels).length,
      compose: c.compose,
      stats: c.stats,
      inspect_error: c.inspect_error,
    };
    return {
      structured: {
        device: host,
        container,
        truncated: labels.truncated || mounts.truncated || ports.truncated,
        unreadable: { item_errors: [...unreadable.errors], dropped: unreadable.dropped ?? 0 },
        provenance,
      },
      text: [
        describe(host, c, describeProvenance(provenance)),
        describeUnreadable([unreadable], ["other container", "other containers"]),
      ]
        .filter((l) => l !== null)
        .join("\n"),
    };
  },
});

/**
 * findContainer, except that a container its agent listed but could not read is named as such (with
 * why), not as a name that does not exist.
 */
function findReadable(
  data: Parameters<typeof findContainer>[0],
  host: string,
  ref: string,
  unreadable: readonly { name: string | null; error: { code: string; message: string } }[],
): DockerContainer {
  try {
    return findContainer(data, host, ref);
  } catch (err) {
    const wanted = ref.replace(/^\//, "");
    const e = toAppError(err);
    const bad = unreadable.find((u) => u.name !== null && (u.name === wanted || u.name.startsWith(wanted)));
    if (e.code !== ErrorCode.NOT_FOUND || bad === undefined) throw err;
    throw new AppError(
      ErrorCode.PARSE_FAILED,
      `container "${ref}" on ${host} was listed but its agent could not read it: ${bad.error.code}: ${bad.error.message}`,
      { details: { device: host, container: ref } },
    );
  }
}

/** The first labels by key, long values shortened; compose's are in `compose` already but kept here too. */
function capLabels(all: Record<string, string>): { labels: Record<string, string>; truncated: boolean } {
  const keys = Object.keys(all).sort();
  let truncated = keys.length > MAX_LABELS;
  const labels: Record<string, string> = {};
  for (const key of keys.slice(0, MAX_LABELS)) {
    const value = all[key] ?? "";
    if (value.length > MAX_LABEL_CHARS) truncated = true;
    labels[key] = value.length > MAX_LABEL_CHARS ? `${value.slice(0, MAX_LABEL_CHARS)}…` : value;
  }
  return { labels, truncated };
}

function describe(host: string, c: DockerContainer, provenance: string): string {
  const lines = [
    `${host}/${c.name} (${c.id.slice(0, 12)}): ${c.state}${c.health === "none" ? "" : `, ${c.health}`}; ${c.status}`,
    provenance,
    `image ${c.image}${c.image_id === null ? "" : ` (${c.image_id.replace(/^sha256:/, "").slice(0, 12)})`}; restarts ${c.restart_count}${c.exit_code === null ? "" : `; exit code ${c.exit_code}`}; created ${c.created_at ?? "?"}, started ${c.started_at ?? "never"}${c.finished_at ? `, last finished ${c.finished_at}` : ""}`,
  ];
  if (c.compose !== null) {
    const deps = c.compose.depends_on.map((d) => `${d.service}${d.condition ? ` (${d.condition})` : ""}`);
    lines.push(
      `compose ${c.compose.project}/${c.compose.service}${deps.length ? `, depends on ${deps.join(", ")}` : ""}`,
    );
  }
  if (c.ports.length) lines.push(`ports: ${c.ports.slice(0, 20).map(describePort).join(", ")}`);
  for (const n of c.networks)
    lines.push(
      `network ${n.network}: ${n.ip_address ?? "no IPv4"}${n.ipv6_address ? `, ${n.ipv6_address}` : ""}${n.gateway ? ` via ${n.gateway}` : ""}${n.mac_address ? `, MAC ${n.mac_address}` : ""}`,
    );
  for (const m of c.mounts.slice(0, 10))
    lines.push(`mount ${m.type} ${m.name ?? m.source} -> ${m.destination} (${m.access})`);
  if (c.stats?.ok === true) {
    const s = c.stats;
    const mem = s.mem_used_bytes === null ? "?" : formatBytes(s.mem_used_bytes);
    const limit = s.mem_limit_bytes === null ? "" : ` of ${formatBytes(s.mem_limit_bytes)}`;
    lines.push(
      `stats: cpu ${s.cpu_pct === null ? "?" : `${s.cpu_pct.toFixed(1)}%`}, mem ${mem}${limit}, pids ${s.pids ?? "?"}`,
    );
  } else if (c.stats?.ok === false) {
    lines.push(`stats failed: ${c.stats.error.code}: ${c.stats.error.message}`);
  }
  const own = Object.entries(c.labels).filter(([k]) => !k.startsWith("com.docker.compose."));
  if (own.length > 0)
    lines.push(
      `labels: ${own
        .slice(0, 8)
        .map(([k, v]) => `${k}=${v.length > 60 ? `${v.slice(0, 60)}…` : v}`)
        .join("; ")}${own.length > 8 ? `; ${own.length - 8} more` : ""}`,
    );
  if (c.inspect_error !== null)
    lines.push(`inspect failed: ${c.inspect_error.code}: ${c.inspect_error.message}`);
  return lines.join("\n");
}
