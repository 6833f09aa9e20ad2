import { describeProvenance, ProvenanceSchema } from "@infrastructor/mcp/answer/provenance.ts";
import { DeviceArg } from "@infrastructor/mcp/args/names.ts";
import { formatBytes, percent, requireData } from "@infrastructor/mcp/tools/common/domain-data.ts";
import { describeUnreadable, ItemErrorsSchema } from "@infrastructor/mcp/tools/common/item-errors.ts";
import { defineTool, READ_ONLY } from "@infrastructor/mcp/tools/tool.ts";
import { z } from "zod";
import type { ZfsData } from "../../schema.ts";
import { PoolViewSchema, poolViews, sourceErrors } from "./zfs/pool-view.ts";
import { renderPool } from "./zfs/render-pool.ts";

/** The largest datasets shown; the rest are counted. */
const TOP_DATASETS = 10;

export const getZfsStatus = defineTool({
  name: "get_zfs_status",
  title: "ZFS status",
  description:
    "ZFS pools of one device: state and health, size/allocated/free, fragmentation and capacity, zpool's " +
    "status and action text, the scrub or resilver (when, its age, bytes repaired; a scrub that repaired " +
    "bytes is a problem: corruption was found and fixed), the errors line, and the vdev tree with read/write/" +
    "checksum errors per device; pools not ONLINE or with errors come first, with their problems in words. " +
    "Also a datasets summary (largest first) and the ARC (size, hit ratio). A host without ZFS answers " +
    "COMMAND_MISSING.",
  input: { device: DeviceArg },
  output: {
    summary: z.object({
      pools: z.number(),
      unhealthy: z.array(z.string()).describe("pools not ONLINE or with errors or other problems"),
      datasets: z.number().nullable(),
      arc_hit_pct: z.number().nullable(),
    }),
    provenance: ProvenanceSchema,
    pools: z.array(PoolViewSchema),
    datasets: z
      .object({
        count: z.number(),
        by_pool: z.record(z.string(), z.number()),
        largest: z.array(
          z.object({
            name: z.string(),
            type: z.string().nullable(),
            used_bytes: z.number(),
            avail_bytes: z.number(),
            usedsnap_bytes: z.number().nullable(),
          }),
        ),
      })
      .nullable(),
    arc: z
      .object({
        size_bytes: z.number(),
        target_bytes: z.number(),
        max_bytes: z.number(),
        hit_pct: z.number().nullable().describe("hits / (hits + misses) since the module loaded"),
        l2_size_bytes: z.number().nullable(),
      })
      .nullable(),
    source_errors: z.array(z.object({ source: z.string(), code: z.string(), message: z.string() })),
    unreadable: z
      .object({ pools: ItemErrorsSchema, status: ItemErrorsSchema, datasets: ItemErrorsSchema })
      .describe("pools, pool status blocks and datasets the agent could not read (the others are above)"),
  },
  annotations: READ_ONLY,
  async run(ctx, args) {
    const device = await ctx.store.device(args.device);
    const answer = await ctx.domains.read(device, "zfs");
    const data = requireData(answer);
    const pools = poolViews(data, new Date(), ctx.config.thresholds.diskPct);
    const datasets = datasetSummary(data);
    const arc = data.arc.ok
      ? {
          size_bytes: data.arc.value.size_bytes,
          target_bytes: data.arc.value.target_bytes,
          max_bytes: data.arc.value.max_bytes,
          hit_pct: percent(data.arc.value.hits, data.arc.value.hits + data.arc.value.misses),
          l2_size_bytes: data.arc.value.l2_size_bytes,
        }
      : null;
    const summary = {
      pools: pools.length,
      unhealthy: pools.filter((p) => p.problems.length > 0).map((p) => p.name),
      datasets: datasets?.count ?? null,
      arc_hit_pct: arc?.hit_pct ?? null,
    };
    const errors = sourceErrors(data);
    const head = `${device.hostname}: ${summary.pools} pools, ${summary.unhealthy.length} with problems${summary.unhealthy.length ? ` (${summary.unhealthy.join(", ")})` : ""}; ${summary.datasets ?? "?"} datasets; ARC ${arc ? `${formatBytes(arc.size_bytes)}, ${arc.hit_pct ?? "?"}% hits` : "unknown"}.`;
    const lines = [
      head,
      describeProvenance(answer.provenance),
      "pools, worst first (vdev rows: name state read/write/checksum errors):",
      ...pools.flatMap(renderPool),
    ];
    if (datasets !== null) {
      const perPool = Object.entries(datasets.by_pool)
        .map(([pool, n]) => `${pool} ${n}`)
        .join(", ");
      lines.push(
        `datasets: ${datasets.count} (${perPool}); largest: ${datasets.largest.map((d) => `${d.name} ${formatBytes(d.used_bytes)} used, ${formatBytes(d.avail_bytes)} avail${d.usedsnap_bytes ? `, snapshots ${formatBytes(d.usedsnap_bytes)}` : ""}`).join("; ")}`,
      );
    }
    if (arc !== null) {
      lines.push(
        `ARC: ${formatBytes(arc.size_bytes)} (target ${formatBytes(arc.target_bytes)}, max ${formatBytes(arc.max_bytes)}), ${arc.hit_pct ?? "?"}% hits${arc.l2_size_bytes === null ? "" : `, L2ARC ${formatBytes(arc.l2_size_bytes)}`}`,
      );
    }
    for (const e of errors) lines.push(`source ${e.source} failed: ${e.code}: ${e.message}`);
    const unreadable = {
      pools: data.pools.ok ? (data.pools.item_errors ?? []) : [],
      status: data.status.ok ? (data.status.item_errors ?? []) : [],
      datasets: data.datasets.ok ? (data.datasets.item_errors ?? []) : [],
    };
    const dropped = (r: ZfsData["pools" | "status" | "datasets"]): number =>
      r.ok ? (r.item_errors_dropped ?? 0) : 0;
    const unreadLine = describeUnreadable(
      [
        { errors: unreadable.pools, dropped: dropped(data.pools), prefix: "zpool list " },
        { errors: unreadable.status, dropped: dropped(data.status), prefix: "zpool status " },
        { errors: unreadable.datasets, dropped: dropped(data.datasets), prefix: "zfs list " },
      ],
      ["item", "items"],
    );
    if (unreadLine !== null) lines.splice(2, 0, unreadLine);
    return {
      structured: {
        summary,
        provenance: answer.provenance,
        pools,
        datasets,
        arc,
        source_errors: errors,
        unreadable,
      },
      text: lines.join("\n"),
    };
  },
});

function datasetSummary(data: ZfsData) {
  if (!data.datasets.ok) return null;
  const all = data.datasets.value;
  const byPool: Record<string, number> = {};
  for (const d of all) {
    const pool = d.name.split("/")[0] ?? d.name;
    byPool[pool] = (byPool[pool] ?? 0) + 1;
  }
  const largest = [...all]
    .filter((d) => d.name.includes("/"))
    .sort((a, b) => b.used_bytes - a.used_bytes || a.name.localeCompare(b.name))
    .slice(0, TOP_DATASETS)
    .map((d) => ({
      name: d.name,
      type: d.type,
      used_bytes: d.used_bytes,
      avail_bytes: d.avail_bytes,
      usedsnap_bytes: d.usedsnap_bytes,
    }));
  return { count: all.length, by_pool: byPool, largest };
}
