import { describePage, PageArgs, PageSchema, paginate } from "@infrastructor/mcp/answer/paginate.ts";
import { describeProvenance, formatAge, ProvenanceSchema } from "@infrastructor/mcp/answer/provenance.ts";
import { capList } from "@infrastructor/mcp/answer/truncate.ts";
import { DatasetArg, DeviceArg } from "@infrastructor/mcp/args/names.ts";
import { formatBytes, requireData } from "@infrastructor/mcp/tools/common/domain-data.ts";
import { defineTool, READ_ONLY } from "@infrastructor/mcp/tools/tool.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { z } from "zod";
import { perDataset, type SnapshotRow, snapshotRows, storedSnapshots } from "./zfs/snapshots.ts";

/** Datasets listed in the per-dataset summary (most snapshots first). */
const MAX_DATASETS = 50;

export const getZfsSnapshots = defineTool({
  name: "get_zfs_snapshots",
  title: "ZFS snapshots",
  description:
    "ZFS snapshots of one device, newest first (paginated), with a summary per dataset: how many, the " +
    "space they hold, the newest and oldest and their ages (to see whether snapshotting still runs and " +
    "how far back it reaches). `dataset` narrows to that dataset and its children (tank/data also " +
    "matches tank/data/photos), or names one snapshot (tank/data@daily-1).",
  input: { device: DeviceArg, dataset: DatasetArg.optional(), ...PageArgs },
  output: {
    summary: z.object({
      snapshots: z.number(),
      datasets: z.number(),
      used_bytes: z.number(),
      newest: z.string().nullable(),
      newest_age_s: z.number().nullable(),
      oldest: z.string().nullable(),
      oldest_age_s: z.number().nullable(),
    }),
    provenance: ProvenanceSchema,
    listed_at: z
      .string()
      .nullable()
      .describe("when the snapshot list was taken (listed less often than pools)"),
    per_dataset: z.array(
      z.object({
        dataset: z.string(),
        count: z.number(),
        used_bytes: z.number(),
        newest: z.string(),
        newest_age_s: z.number(),
        oldest: z.string(),
        oldest_age_s: z.number(),
      }),
    ),
    per_dataset_truncated: z.boolean(),
    snapshots: z.array(
      z.object({
        name: z.string(),
        dataset: z.string(),
        created_at: z.string(),
        age_s: z.number(),
        used_bytes: z.number(),
        refer_bytes: z.number().nullable(),
      }),
    ),
    page: PageSchema,
  },
  annotations: READ_ONLY,
  async run(ctx, args) {
    const device = await ctx.store.device(args.device);
    const answer = await ctx.domains.read(device, "zfs");
    const data = requireData(answer);
    let rows: SnapshotRow[];
    let listedAt: string | null;
    if (answer.provenance.source === "live" && data.snapshots?.ok) {
      rows = snapshotRows(data.snapshots.value, args.dataset);
      listedAt = answer.provenance.observed_at;
    } else {
      rows = await storedSnapshots(ctx.store, device.id, args.dataset);
      const sync = await ctx.store.guard("snapshot listing time", () =>
        ctx.store.db
          .selectFrom("zfs_sync")
          .select("snapshots_at")
          .where("device_id", "=", device.id)
          .executeTakeFirst(),
      );
      listedAt = sync?.snapshots_at ? new Date(sync.snapshots_at).toISOString() : null;
    }
    if (rows.length === 0 && args.dataset !== undefined)
      await requireDataset(ctx, device.id, device.hostname, args.dataset, data);
    const now = new Date();
    const groups = perDataset(rows, now);
    const capped = capList(groups, MAX_DATASETS);
    const times = rows.map((r) => new Date(r.created_at).getTime());
    const age = (t: number): number => Math.max(0, Math.round((now.getTime() - t) / 1000));
    const newest = times.length > 0 ? Math.max(...times) : null;
    const oldest = times.length > 0 ? Math.min(...times) : null;
    const summary = {
      snapshots: rows.length,
      datasets: groups.length,
      used_bytes: rows.reduce((sum, r) => sum + r.used_bytes, 0),
      newest: newest === null ? null : new Date(newest).toISOString(),
      newest_age_s: newest === null ? null : age(newest),
      oldest: oldest === null ? null : new Date(oldest).toISOString(),
      oldest_age_s: oldest === null ? null : age(oldest),
    };
    const { items, page } = paginate(rows, args);
    const snapshots = items.map((r) => ({
      name: r.name,
      dataset: r.dataset,
      created_at: new Date(r.created_at).toISOString(),
      age_s: age(new Date(r.created_at).getTime()),
      used_bytes: r.used_bytes,
      refer_bytes: r.refer_bytes,
    }));
    const head = `${device.hostname}${args.dataset ? ` ${args.dataset}` : ""}: ${summary.snapshots} snapshots in ${summary.datasets} datasets, ${formatBytes(summary.used_bytes)}${summary.newest_age_s === null ? "" : `; newest ${formatAge(summary.newest_age_s)} ago, oldest ${formatAge(summary.oldest_age_s ?? 0)} ago`}.`;
    const lines = [
      head,
      describeProvenance(answer.provenance),
      ...capped.items
        .slice(0, 10)
        .map(
          (g) =>
            `  ${g.dataset}: ${g.count}, newest ${formatAge(g.newest_age_s)} ago, oldest ${formatAge(g.oldest_age_s)} ago`,
        ),
      describePage(page, "snapshots"),
      ...snapshots.map((s) => `- ${s.name} ${s.created_at} (${formatBytes(s.used_bytes)})`),
    ];
    return {
      structured: {
        summary,
        provenance: answer.provenance,
        listed_at: listedAt,
        per_dataset: capped.items,
        per_dataset_truncated: capped.truncated,
        snapshots,
        page,
      },
      text: lines.join("\n"),
    };
  },
});

/** An empty answer for a dataset that exists is fine; for one that does not, NOT_FOUND naming some. */
async function requireDataset(
  ctx: Parameters<typeof getZfsSnapshots.run>[0],
  deviceId: number,
  hostname: string,
  dataset: string,
  data: { datasets: { ok: boolean; value?: { name: string }[] } },
): Promise<void> {
  const base = dataset.split("@")[0] ?? dataset;
  const fromPayload = data.datasets.ok ? (data.datasets.value ?? []).map((d) => d.name) : [];
  const stored = await ctx.store.guard("list datasets", () =>
    ctx.store.db
      .selectFrom("zfs_datasets")
      .select("name")
      .where("device_id", "=", deviceId)
      .orderBy("name")
      .execute(),
  );
  const known = [...new Set([...fromPayload, ...stored.map((d) => d.name)])].sort();
  if (known.includes(base) && !dataset.includes("@")) return;
  throw new AppError(
    ErrorCode.NOT_FOUND,
    `no ${dataset.includes("@") ? "snapshot" : "dataset"} ${dataset} on ${hostname}; datasets: ${known.slice(0, 20).join(", ") || "none"}`,
    { details: { device: hostname, dataset, known: known.slice(0, 100) } },
  );
}
