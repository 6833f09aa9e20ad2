import { describePage, PageArgs, PageSchema, paginate } from "@infrastructor/mcp/answer/paginate.ts";
import {
  ageSeconds,
  describeProvenance,
  formatAge,
  ProvenanceSchema,
} from "@infrastructor/mcp/answer/provenance.ts";
import { DeviceArg } from "@infrastructor/mcp/args/names.ts";
import { formatBytes, requireData } from "@infrastructor/mcp/tools/common/domain-data.ts";
import { describeUnreadable, ItemErrorsSchema } from "@infrastructor/mcp/tools/common/item-errors.ts";
import { defineTool, READ_ONLY } from "@infrastructor/mcp/tools/tool.ts";
import { z } from "zod";
import { PROBE_KINDS, type ProbeResult } from "../../schema.ts";

const ProbeSchema = z.object({
  name: z.string(),
  kind: z.enum(PROBE_KINDS),
  status: z.enum(["ok", "late", "failed"]).describe("as judged when collected: newest backup vs max_age_h"),
  max_age_h: z.number(),
  last_success_at: z.string().nullable(),
  age_s: z.number().nullable().describe("age of the newest backup now (not at collection)"),
  late_now: z.boolean().describe("older than max_age_h now, even if it was ok when collected"),
  size_bytes: z.number().nullable(),
  item_count: z.number().nullable().describe("snapshots or archives; null for a file probe"),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  item_errors: ItemErrorsSchema,
  item_errors_dropped: z
    .number()
    .describe("unreadable snapshots or archives beyond item_errors, only counted"),
});
type Probe = z.infer<typeof ProbeSchema>;

const STATUS_RANK: Record<ProbeResult["status"], number> = { failed: 0, late: 1, ok: 2 };

export const getBackupStatus = defineTool({
  name: "get_backup_status",
  title: "Backup status",
  description:
    "The backups a device's agent checks (restic and borg repositories, ZFS snapshot age of a dataset, a " +
    "file a backup job rewrites): for each, the last success, its age, size, and ok/late/failed against its " +
    "maximum age. Failed and late ones come first. backup_type keeps one kind. NOT_FOUND when no probes are " +
    "configured on that host.",
  input: {
    device: DeviceArg,
    backup_type: z
      .enum(PROBE_KINDS)
      .optional()
      .describe("Only this kind: restic, borg, zfs_snapshot (snapshot age of a dataset) or path (file age)."),
    ...PageArgs,
  },
  output: {
    summary: z.object({
      probes: z.number(),
      ok: z.number(),
      late: z.number(),
      failed: z.number(),
      attention: z.array(z.string()).describe("names of failed, then late probes"),
    }),
    probes: z.array(ProbeSchema),
    page: PageSchema,
    provenance: ProvenanceSchema,
  },
  annotations: READ_ONLY,
  async run(ctx, args) {
    const device = await ctx.store.device(args.device);
    const answer = await ctx.domains.read(device, "backups");
    const data = requireData(answer, "backup probes");
    const now = new Date();
    const all: Probe[] = data.probes
      .filter((p) => args.backup_type === undefined || p.kind === args.backup_type)
      .map((p) => {
        const age = p.last_success_at === null ? null : ageSeconds(new Date(p.last_success_at), now);
        return {
          name: p.name,
          kind: p.kind,
          status: p.status,
          max_age_h: p.max_age_h,
          last_success_at: p.last_success_at,
          age_s: age,
          late_now: age !== null && age > p.max_age_h * 3600,
          size_bytes: p.size_bytes,
          item_count: p.item_count,
          error: p.error,
          item_errors: p.item_errors ?? [],
          item_errors_dropped: p.item_errors_dropped ?? 0,
        };
      })
      .sort((a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || a.name.localeCompare(b.name));
    const count = (s: Probe["status"]): number => all.filter((p) => p.status === s).length;
    const summary = {
      probes: all.length,
      ok: count("ok"),
      late: count("late"),
      failed: count("failed"),
      attention: all.filter((p) => p.status !== "ok").map((p) => p.name),
    };
    const { items, page } = paginate(all, args);
    const kind = args.backup_type === undefined ? "" : ` ${args.backup_type}`;
    const lines = [
      `${summary.probes}${kind} backup probes on ${device.hostname}: ${summary.failed} failed, ${summary.late} late, ${summary.ok} ok.`,
      describeProvenance(answer.provenance),
      describePage(page, "probes"),
      ...items.flatMap((p) => {
        const unreadable = describeUnreadable(
          [{ errors: p.item_errors, dropped: p.item_errors_dropped }],
          ["backup", "backups"],
        );
        return [
          `- ${p.name} (${p.kind}): ${p.status.toUpperCase()}` +
            `${p.age_s === null ? ", no backup found" : `, last ${formatAge(p.age_s)} ago (${p.last_success_at})`} (max ${p.max_age_h} h)` +
            `${p.size_bytes === null ? "" : `, ${formatBytes(p.size_bytes)}`}${p.item_count === null ? "" : `, ${p.item_count} ${p.kind === "borg" ? "archives" : "snapshots"}`}` +
            `${p.error ? `; ${p.error.code}: ${p.error.message}` : ""}`,
          ...(unreadable === null ? [] : [`  ${unreadable}`]),
        ];
      }),
    ];
    return {
      structured: { summary, probes: items, page, provenance: answer.provenance },
      text: lines.join("\n"),
    };
  },
});
