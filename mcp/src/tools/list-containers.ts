import { z } from "zod";
import { describePage, PageArgs, PageSchema, paginate } from "../answer/paginate.ts";
import { describeProvenance, ProvenanceSchema } from "../answer/provenance.ts";
import { capList } from "../answer/truncate.ts";
import { DeviceArg } from "../args/names.ts";
import type { DomainAnswer } from "../domain-reader.ts";
import {
  type ContainerRow,
  ContainerRowSchema,
  describeRow,
  severity,
  toRow,
} from "./containers/container-row.ts";
import { readEvents, requireDocker } from "./containers/docker-data.ts";
import { defineTool, READ_ONLY, type ToolContext } from "./tool.ts";

const STATUSES = ["running", "exited", "paused", "restarting", "created", "dead", "unhealthy"] as const;
/** How many problem containers the summary names. */
const MAX_NAMED = 20;

const DeviceDockerSchema = z.object({
  device: z.string(),
  docker: z
    .enum(["ok", "failed", "unavailable", "missing"])
    .describe(
      "failed: the last read failed (older data shown); unavailable: no Docker there; missing: never collected",
    ),
  containers: z.number(),
  note: z
    .string()
    .nullable()
    .describe("why there is no (fresh) data: the unavailable reason or the last error"),
  provenance: ProvenanceSchema,
});

export const listContainers = defineTool({
  name: "list_containers",
  title: "List containers",
  description:
    "Lists Docker (or podman) containers on one device, or on every device when `device` is omitted: name, " +
    "image, state, status text, health, restart count, exit code, latest cpu % and memory, and Compose " +
    "project/service. Starts with counts by state and names the unhealthy and restarting ones; problem " +
    "containers come first. Filter with `status` (a state, or `unhealthy` for failing healthchecks). Use " +
    "get_container_details for ports, mounts and networks of one container.",
  input: {
    device: DeviceArg.optional().describe("Only this device; omit for every device."),
    status: z
      .enum(STATUSES)
      .optional()
      .describe(
        "Only containers in this state; `unhealthy` selects failing healthchecks whatever the state.",
      ),
    ...PageArgs,
  },
  output: {
    summary: z.object({
      containers: z.number().describe("on the devices read, before the status filter"),
      matching: z.number().describe("after the status filter"),
      by_state: z.record(z.string(), z.number()),
      unhealthy: z.array(z.string()).describe("device/name of containers whose healthcheck fails"),
      restarting: z.array(z.string()).describe("device/name of restarting or restart-looping containers"),
      truncated: z.boolean().describe("true when the unhealthy or restarting names were cut"),
    }),
    containers: z.array(ContainerRowSchema),
    page: PageSchema,
    devices: z.array(DeviceDockerSchema).describe("each device read, with where its data came from"),
  },
  annotations: READ_ONLY,
  async run(ctx, args) {
    const answers = await readAll(ctx, args.device);
    if (args.device !== undefined) requireDocker(answers[0] as DomainAnswer<"docker">);
    const all = answers.flatMap((a) => (a.data?.containers ?? []).map((c) => toRow(a.device.hostname, c)));
    const matching = all.filter((row) => matches(row, args.status));
    matching.sort(
      (a, b) => severity(a) - severity(b) || a.device.localeCompare(b.device) || a.name.localeCompare(b.name),
    );
    const byState: Record<string, number> = {};
    for (const row of all) byState[row.state] = (byState[row.state] ?? 0) + 1;
    const label = (r: ContainerRow): string => `${r.device}/${r.name}`;
    const unhealthy = capList(all.filter((r) => r.health === "unhealthy").map(label), MAX_NAMED);
    const restarting = capList(all.filter((r) => r.state === "restarting").map(label), MAX_NAMED);
    const { items, page } = paginate(matching, args);
    const devices = answers.map((a) => ({
      device: a.device.hostname,
      docker: a.status,
      containers: a.data?.containers.length ?? 0,
      note: noteOf(a),
      provenance: a.provenance,
    }));
    const counts = Object.entries(byState)
      .sort((a, b) => b[1] - a[1])
      .map(([state, n]) => `${n} ${state}`)
      .join(", ");
    const head = [
      `${all.length} containers on ${answers.length} device(s)${counts ? `: ${counts}` : ""}.`,
      unhealthy.items.length ? `Unhealthy: ${unhealthy.items.join(", ")}.` : "",
      restarting.items.length ? `Restarting: ${restarting.items.join(", ")}.` : "",
    ].filter((l) => l !== "");
    // Fresh stored devices are only counted in the text; the structured answer has each one's provenance.
    const notable = devices.filter(
      (d) =>
        devices.length === 1 ||
        d.docker !== "ok" ||
        d.note !== null ||
        d.provenance.stale ||
        d.provenance.source !== "stored",
    );
    const fresh = devices.length - notable.length;
    const deviceLines = [
      ...(fresh > 0 ? [`${fresh} device(s) with fresh stored data`] : []),
      ...notable.map(
        (d) => `${describeProvenance(d.provenance)}; docker ${d.docker}${d.note ? ` (${d.note})` : ""}`,
      ),
    ];
    const filter = args.status === undefined ? "" : ` (status ${args.status})`;
    return {
      structured: {
        summary: {
          containers: all.length,
          matching: matching.length,
          by_state: byState,
          unhealthy: unhealthy.items,
          restarting: restarting.items,
          truncated: unhealthy.truncated || restarting.truncated,
        },
        containers: items,
        page,
        devices,
      },
      text: [
        ...head,
        ...deviceLines,
        `${describePage(page, "containers")}${filter}`,
        ...items.map(describeRow),
      ].join("\n"),
    };
  },
});

async function readAll(ctx: ToolContext, device: string | undefined): Promise<DomainAnswer<"docker">[]> {
  const devices = device === undefined ? await ctx.store.listDevices() : [await ctx.store.device(device)];
  return ctx.domains.readMany(devices, "docker", "auto", readEvents(ctx));
}

function matches(row: ContainerRow, status: (typeof STATUSES)[number] | undefined): boolean {
  if (status === undefined) return true;
  if (status === "unhealthy") return row.health === "unhealthy";
  return row.state === status;
}

function noteOf(a: DomainAnswer<"docker">): string | null {
  if (a.unavailable !== null) return `${a.unavailable.code}: ${a.unavailable.reason}`;
  if (a.status === "missing") return "no Docker data collected";
  const first = a.errors[0];
  if (a.status === "failed" && first !== undefined) return `${first.code}: ${first.message}`;
  const live = a.provenance.live_error;
  return live === undefined ? null : `live read failed: ${live.code}: ${live.message}`;
}
