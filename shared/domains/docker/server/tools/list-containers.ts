import { byteOrder } from "@infrastructor/mcp/answer/byte-order.ts";
import {
  DEFAULT_LIMIT,
  describePage,
  PageArgs,
  PageSchema,
  pageOf,
} from "@infrastructor/mcp/answer/paginate.ts";
import { describeProvenance, ProvenanceSchema } from "@infrastructor/mcp/answer/provenance.ts";
import { capList } from "@infrastructor/mcp/answer/truncate.ts";
import { DeviceArg } from "@infrastructor/mcp/args/names.ts";
import type { DomainAnswer } from "@infrastructor/mcp/domain-reader.ts";
import { describeUnreadable } from "@infrastructor/mcp/tools/common/item-errors.ts";
import { defineTool, READ_ONLY, type ToolContext } from "@infrastructor/mcp/tools/tool.ts";
import type { ItemError } from "@infrastructor/shared/schemas/source-result.ts";
import { sql } from "kysely";
import { z } from "zod";
import {
  type ContainerRow,
  ContainerRowSchema,
  describeRow,
  severity,
  toRow,
} from "./containers/container-row.ts";
import {
  containerCounts,
  containerRows,
  matchingCounts,
  problemLabels,
} from "./containers/container-store.ts";
import { assertDocker, readEvents } from "./containers/docker-data.ts";

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
    unreadable: z
      .object({
        total: z.number().describe("containers listed by an engine that their agent could not read"),
        items: z
          .array(
            z.object({
              device: z.string(),
              name: z.string().nullable(),
              code: z.string(),
              message: z.string(),
            }),
          )
          .describe(`the first ${MAX_NAMED}`),
      })
      .describe("containers missing from the list above because they could not be read"),
  },
  annotations: READ_ONLY,
  async run(ctx, args) {
    const devices =
      args.device === undefined ? await ctx.store.listDevices() : [await ctx.store.device(args.device)];
    // Stored devices are read from docker_containers in SQL; only live answers carry their containers.
    const answers = await ctx.domains.readMany(devices, "docker", "auto", readEvents(ctx), "status");
    if (args.device !== undefined) assertDocker(answers[0] as DomainAnswer<"docker">);
    const storedIds = answers.filter((a) => a.deferred).map((a) => a.device.id);
    const live = answers.flatMap((a) => (a.data?.containers ?? []).map((c) => toRow(a.device.hostname, c)));
    const [counts, labels, storedUnreadable] = await Promise.all([
      containerCounts(ctx.store, storedIds),
      problemLabels(ctx.store, storedIds, MAX_NAMED),
      unreadableOf(
        ctx,
        answers.filter((a) => a.deferred),
      ),
    ]);
    const unreadable = [
      ...storedUnreadable,
      ...answers.flatMap((a) =>
        a.data === null
          ? []
          : [
              {
                device: a.device.hostname,
                errors: a.data.item_errors ?? [],
                dropped: a.data.item_errors_dropped,
              },
            ],
      ),
    ].filter((u) => u.errors.length > 0 || (u.dropped ?? 0) > 0);

    const byState: Record<string, number> = {};
    const perDevice = new Map<number, number>();
    for (const c of counts) {
      byState[c.state] = (byState[c.state] ?? 0) + c.containers;
      perDevice.set(c.device_id, (perDevice.get(c.device_id) ?? 0) + c.containers);
    }
    for (const row of live) {
      byState[row.state] = (byState[row.state] ?? 0) + 1;
    }
    const total = Object.values(byState).reduce((a, b) => a + b, 0);
    const liveMatching = live.filter((row) => matches(row, args.status));
    const stored = matchingCounts(counts, args.status);
    const matchingTotal = stored.matching + liveMatching.length;

    const limit = args.limit ?? DEFAULT_LIMIT;
    const offset = args.offset ?? 0;
    // With live rows, the page is merged: the first offset+limit of each sorted list hold the page.
    const items =
      liveMatching.length === 0
        ? await containerRows(ctx.store, storedIds, args.status, {
            offset,
            count: limit,
            problems: stored.problems,
          })
        : [
            ...(await containerRows(ctx.store, storedIds, args.status, {
              offset: 0,
              count: offset + limit,
              problems: stored.problems,
            })),
            ...liveMatching,
          ]
            .sort(compareRows)
            .slice(offset, offset + limit);
    const page = pageOf(matchingTotal, args, items.length);

    const label = (r: ContainerRow): string => `${r.device}/${r.name}`;
    const named = (storedLabels: string[], pick: (r: ContainerRow) => boolean) =>
      capList([...storedLabels, ...live.filter(pick).map(label)].sort(byteOrder), MAX_NAMED);
    const unhealthy = named(labels.unhealthy, (r) => r.health === "unhealthy");
    const restarting = named(labels.restarting, (r) => r.state === "restarting");
    const devicesRead = answers.map((a) => ({
      device: a.device.hostname,
      docker: a.status,
      containers: a.data?.containers.length ?? perDevice.get(a.device.id) ?? 0,
      note: noteOf(a),
      provenance: a.provenance,
    }));
    const states = Object.entries(byState)
      .sort((a, b) => b[1] - a[1])
      .map(([state, n]) => `${n} ${state}`)
      .join(", ");
    const unreadableLine = describeUnreadable(
      unreadable.map((u) => ({ ...u, prefix: `${u.device}/` })),
      ["container", "containers"],
    );
    const head = [
      `${total} containers on ${answers.length} device(s)${states ? `: ${states}` : ""}.`,
      unhealthy.items.length ? `Unhealthy: ${unhealthy.items.join(", ")}.` : "",
      restarting.items.length ? `Restarting: ${restarting.items.join(", ")}.` : "",
      unreadableLine ?? "",
    ].filter((l) => l !== "");
    // Fresh stored devices are only counted in the text; hosts without Docker (or never read) are one
    // line per reason, not one line each: on a fleet most hosts may run no containers at all.
    const fleetWide = devicesRead.length > 1;
    const grouped = (d: (typeof devicesRead)[number]): string | null => {
      if (!fleetWide) return null;
      const a = answers.find((x) => x.device.hostname === d.device);
      if (d.docker === "unavailable") {
        const code = a?.unavailable?.code ?? "COMMAND_MISSING";
        return code === "COMMAND_MISSING" ? "docker not installed" : `docker unavailable (${code})`;
      }
      if (d.docker === "missing" && d.provenance.live_error === undefined)
        return "no Docker data ever collected";
      return null;
    };
    const groups = new Map<string, string[]>();
    for (const d of devicesRead) {
      const g = grouped(d);
      if (g !== null) groups.set(g, [...(groups.get(g) ?? []), d.device]);
    }
    const notable = devicesRead.filter(
      (d) =>
        grouped(d) === null &&
        (devicesRead.length === 1 ||
          d.docker !== "ok" ||
          d.note !== null ||
          d.provenance.stale ||
          d.provenance.source !== "stored"),
    );
    const fresh = devicesRead.filter((d) => grouped(d) === null).length - notable.length;
    const deviceLines = [
      ...(fresh > 0 ? [`${fresh} device(s) with fresh stored data`] : []),
      ...[...groups].map(([what, names]) => `${what} on ${names.length} host(s): ${nameList(names)}`),
      ...notable.map(
        (d) => `${describeProvenance(d.provenance)}; docker ${d.docker}${d.note ? ` (${d.note})` : ""}`,
      ),
    ];
    const filter = args.status === undefined ? "" : ` (status ${args.status})`;
    return {
      structured: {
        summary: {
          containers: total,
          matching: matchingTotal,
          by_state: byState,
          unhealthy: unhealthy.items,
          restarting: restarting.items,
          truncated: unhealthy.truncated || restarting.truncated,
        },
        containers: items,
        page,
        devices: devicesRead,
        unreadable: {
          total: unreadable.reduce((n, u) => n + u.errors.length + (u.dropped ?? 0), 0),
          items: unreadable
            .flatMap((u) =>
              u.errors.map((e) => ({
                device: u.device,
                name: e.name,
                code: e.error.code,
                message: e.error.message,
              })),
            )
            .slice(0, MAX_NAMED),
        },
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

/**
 * The item errors of stored devices whose docker payload has any: only that key of those payloads is
 * read (the containers themselves come from docker_containers).
 */
async function unreadableOf(
  ctx: ToolContext,
  answers: readonly DomainAnswer<"docker">[],
): Promise<{ device: string; errors: ItemError[]; dropped: number | undefined }[]> {
  if (answers.length === 0) return [];
  const withErrors = await ctx.domains.readStored(
    answers.map((a) => a.device),
    "docker",
    { only: ["item_errors", "item_errors_dropped"], when: sql<boolean>`payload ? 'item_errors'` },
  );
  return withErrors.flatMap((a) => {
    const data = a.data as { item_errors?: ItemError[] | null; item_errors_dropped?: number | null } | null;
    if (!data?.item_errors) return [];
    return [
      { device: a.device.hostname, errors: data.item_errors, dropped: data.item_errors_dropped ?? undefined },
    ];
  });
}

/** Worst first, then device and name in byte order (as PostgreSQL's "C" collation sorts stored rows). */
function compareRows(a: ContainerRow, b: ContainerRow): number {
  return severity(a) - severity(b) || byteOrder(a.device, b.device) || byteOrder(a.name, b.name);
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

/** Names on one line: the first few in byte order, then how many more (all are in `devices`). */
function nameList(names: string[], max = 12): string {
  const sorted = [...names].sort(byteOrder);
  const shown = sorted.slice(0, max);
  return `${shown.join(", ")}${sorted.length > max ? `, … (${sorted.length - max} more)` : ""}`;
}
