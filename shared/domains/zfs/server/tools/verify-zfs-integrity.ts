import { describeProvenance, ProvenanceSchema } from "@infrastructor/mcp/answer/provenance.ts";
import { DatasetArg, DeviceArg } from "@infrastructor/mcp/args/names.ts";
import { requireData } from "@infrastructor/mcp/tools/common/domain-data.ts";
import { defineTool, READ_ONLY } from "@infrastructor/mcp/tools/tool.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { z } from "zod";
import {
  type PoolIntegrity,
  PoolIntegritySchema,
  poolIntegrity,
  VerdictSchema,
  worst,
} from "./zfs/integrity.ts";

const DEFAULT_SCRUB_AGE_DAYS = 35;
const RANK = { failing: 0, warning: 1, ok: 2 } as const;

export const verifyZfsIntegrity = defineTool({
  name: "verify_zfs_integrity",
  title: "Verify ZFS integrity",
  description:
    "Judges the data integrity of a device's ZFS pools from what zpool status last said: permanent data " +
    "errors (and the datasets they are in, when listed), the last scrub's result and age (a warning when " +
    "older than max_scrub_age_days, never run or canceled), checksum/read/write errors per device, and the " +
    "pool state; a verdict ok, warning or failing with its reasons, worst pool first. Read-only: it never " +
    "starts a scrub. `dataset` narrows to the pool holding it.",
  input: {
    device: DeviceArg,
    dataset: DatasetArg.optional(),
    max_scrub_age_days: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .optional()
      .describe(`A finished scrub older than this is a warning (default ${DEFAULT_SCRUB_AGE_DAYS}).`),
  },
  output: {
    verdict: VerdictSchema,
    reasons: z.array(z.string()).describe("each pool's reasons, prefixed with its name, worst first"),
    provenance: ProvenanceSchema,
    pools: z.array(PoolIntegritySchema),
    unread: z
      .array(z.object({ name: z.string().nullable(), message: z.string() }))
      .describe(
        "parts of zpool status the agent could not read (a pool's block, a vdev row): never judged ok",
      ),
    read_only: z.literal(true).describe("no scrub or other command was started"),
  },
  annotations: READ_ONLY,
  async run(ctx, args) {
    const device = await ctx.store.device(args.device);
    const answer = await ctx.domains.read(device, "zfs");
    const data = requireData(answer);
    if (!data.status.ok) {
      throw new AppError(
        data.status.error.code === ErrorCode.COMMAND_TIMEOUT
          ? ErrorCode.COMMAND_TIMEOUT
          : ErrorCode.COMMAND_FAILED,
        `zpool status on ${device.hostname} failed: ${data.status.error.message}`,
        { details: { device: device.hostname, provenance: answer.provenance } },
      );
    }
    let statuses = data.status.value;
    if (args.dataset !== undefined) {
      const pool = args.dataset.split(/[/@]/)[0] ?? args.dataset;
      statuses = statuses.filter((s) => s.name === pool);
      const unreadPool = (data.status.item_errors ?? []).some((e) => e.name === pool);
      if (statuses.length === 0 && !unreadPool) {
        const known = data.status.value.map((s) => s.name);
        throw new AppError(
          ErrorCode.NOT_FOUND,
          `no pool ${pool} on ${device.hostname}; pools: ${known.join(", ") || "none"}`,
          { details: { device: device.hostname, dataset: args.dataset, known } },
        );
      }
    }
    const now = new Date();
    const dataset = args.dataset?.includes("/") ? args.dataset.split("@")[0] : undefined;
    const pools = statuses
      .map((s) =>
        poolIntegrity(s, {
          maxScrubAgeDays: args.max_scrub_age_days ?? DEFAULT_SCRUB_AGE_DAYS,
          now,
          dataset,
        }),
      )
      .sort(
        (a, b) =>
          RANK[a.verdict] - RANK[b.verdict] ||
          Number(a.state === "ONLINE") - Number(b.state === "ONLINE") ||
          a.name.localeCompare(b.name),
      );
    // A pool whose block could not be read is not known to be fine: a warning naming it.
    const unread = (data.status.item_errors ?? [])
      .filter((e) => args.dataset === undefined || e.name === args.dataset.split(/[/@]/)[0])
      .map((e) => ({ name: e.name, message: `${e.error.code}: ${e.error.message}` }));
    const unreadReasons = unread.map((u) => `${u.name ?? "zpool status"}: not read (${u.message})`);
    const verdict = worst([
      ...pools.map((p) => p.verdict),
      ...(unread.length > 0 ? ["warning" as const] : []),
    ]);
    const reasons = [...pools.flatMap((p) => p.reasons.map((r) => `${p.name}: ${r}`)), ...unreadReasons];
    const head = `${device.hostname}: ZFS integrity ${verdict.toUpperCase()} (${pools.length} pools${pools.length ? `: ${pools.map((p) => `${p.name} ${p.verdict}`).join(", ")}` : ""}). Read-only: no scrub was started.`;
    return {
      structured: {
        verdict,
        reasons,
        provenance: answer.provenance,
        pools,
        unread,
        read_only: true as const,
      },
      text: [
        head,
        describeProvenance(answer.provenance),
        ...pools.map(renderPool),
        ...unreadReasons.map((r) => `- ${r}`),
      ].join("\n"),
    };
  },
});

function renderPool(p: PoolIntegrity): string {
  const scrub =
    p.last_scrub === null
      ? p.current_scan
      : `last scrub ${p.last_scrub.state} ${p.last_scrub.at_local ?? ""}${p.last_scrub.age_days === null ? "" : ` (~${Math.round(p.last_scrub.age_days)} d ago)`}`;
  const lines = [
    `- ${p.name} ${p.state} ${p.verdict.toUpperCase()}: ${scrub}; data errors ${p.data_errors ?? "?"}`,
  ];
  for (const r of p.reasons) lines.push(`    ${r}`);
  for (const n of p.notes) lines.push(`    note: ${n}`);
  return lines.join("\n");
}
