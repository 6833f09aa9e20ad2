import { memberFine, type PoolSummary, poolSummaries } from "@infrastructor/domains/zfs/views.ts";
import { capList } from "@infrastructor/mcp/answer/truncate.ts";
import { formatBytes } from "@infrastructor/mcp/tools/common/domain-data.ts";
import { z } from "zod";
import { type ZfsData, ZfsScanSchema } from "../../../schema.ts";
import { namedFiles } from "./integrity.ts";

/** A pool's vdev tree is cut here (pools of hundreds of disks exist); `vdevs_truncated` says so. */
const MAX_VDEVS = 200;

export const VdevSchema = z.object({
  name: z.string(),
  depth: z.number().describe("0 the pool or a section header, 1 a top-level vdev, 2 its disks..."),
  section: z.string(),
  state: z.string().nullable(),
  read_errors: z.number().nullable(),
  write_errors: z.number().nullable(),
  cksum_errors: z.number().nullable(),
  note: z.string().nullable(),
});

/** The wire schema's kinds and states, so a new scan form reaches the answers without a second list. */
export const ScanSchema = z.object({
  function: ZfsScanSchema.shape.function,
  state: ZfsScanSchema.shape.state,
  done_pct: z.number().nullable(),
  repaired_bytes: z.number().nullable(),
  errors: z.number().nullable(),
  at_local: z.string().nullable().describe("start (in progress) or end, in the host's local time"),
  method: ZfsScanSchema.shape.method,
  vdev: z.string().nullable().optional(),
  copied_bytes: z.number().nullable().optional(),
  error_blocks: z.number().nullable().optional(),
  text: z.string().optional().describe("the line as zpool printed it, when its form is unknown"),
});

export const PoolViewSchema = z.object({
  name: z.string(),
  state: z.string().describe("zpool status state (ONLINE, DEGRADED, FAULTED...)"),
  size_bytes: z.number().nullable(),
  alloc_bytes: z.number().nullable(),
  free_bytes: z.number().nullable(),
  fragmentation_pct: z.number().nullable(),
  capacity_pct: z.number().nullable(),
  dedup_ratio: z.number().nullable(),
  status_text: z.string().nullable(),
  action_text: z.string().nullable(),
  scan: ScanSchema.nullable(),
  scan_age_days: z
    .number()
    .nullable()
    .describe(
      "days since the scan's time (at_local) as of the answer; approximate: zpool prints the host's local time without a zone",
    ),
  errors_text: z.string().nullable(),
  data_errors: z.number().nullable().describe("permanent data errors (0 = No known data errors)"),
  device_errors: z
    .object({ read: z.number(), write: z.number(), cksum: z.number() })
    .describe("summed over leaf devices"),
  pool_errors: z
    .object({ read: z.number(), write: z.number(), cksum: z.number() })
    .nullable()
    .describe(
      "the pool row's own counters: I/O that failed past every redundancy (not added to device_errors)",
    ),
  problems: z.array(z.string()),
  vdevs: z.array(VdevSchema),
  vdevs_truncated: z.boolean(),
  activities: z
    .array(ScanSchema)
    .describe(
      "other scan-like work of the pool: sequential resilvers, error scrub, removal, raidz expansion",
    ),
  checkpoint: z
    .object({ state: z.string(), at_local: z.string().nullable(), space_bytes: z.number().nullable() })
    .nullable(),
  error_files: z.array(z.string()).describe("damaged files zpool status -v named (first ones)"),
  error_files_total: z.number().nullable().describe("how many damaged files zpool listed in all"),
});
export type PoolView = z.infer<typeof PoolViewSchema>;

/**
 * `zpool list` and `zpool status` of each pool side by side (the one join, views.ts), what is wrong
 * with it in words, worst pools first (not ONLINE, or with errors). `fullPct`: MCP_DISK_WARN_PCT.
 */
export function poolViews(data: ZfsData, now: Date, fullPct: number): PoolView[] {
  const views = poolSummaries(data, fullPct).map((summary) => {
    const view = poolView(summary, now);
    // A pool whose status block the agent could not read is named, never judged by its list line alone.
    if (summary.unread !== null) {
      view.problems.unshift(`zpool status of this pool could not be read: ${summary.unread.message}`);
    }
    return view;
  });
  return views.sort(
    (a, b) => Number(b.problems.length > 0) - Number(a.problems.length > 0) || a.name.localeCompare(b.name),
  );
}

function poolView(summary: PoolSummary, now: Date): PoolView {
  const { name, state } = summary;
  const list = summary.list ?? undefined;
  const status = summary.status ?? undefined;
  const device_errors = summary.device_errors ?? { read: 0, write: 0, cksum: 0 };
  const problems: string[] = [];
  if (state !== "ONLINE") problems.push(`pool is ${state}`);
  if ((status?.data_errors ?? 0) > 0) problems.push(`${status?.data_errors} permanent data errors`);
  if (status !== undefined && status.data_errors === null && status.errors_text !== null) {
    problems.push(`errors: ${status.errors_text.split("\n")[0]}`);
  }
  for (const v of status?.vdevs ?? []) {
    if (v.depth === 0 && v.section === "data") continue;
    const counts = [
      v.read_errors ? `${v.read_errors} read` : null,
      v.write_errors ? `${v.write_errors} write` : null,
      v.cksum_errors ? `${v.cksum_errors} checksum` : null,
    ].filter(Boolean);
    const bad = !memberFine(v.state);
    if (counts.length > 0 || bad) {
      const what = [bad ? v.state : null, counts.length > 0 ? `${counts.join(", ")} errors` : null, v.note]
        .filter(Boolean)
        .join(", ");
      problems.push(`${v.name}: ${what}`);
    }
  }
  const scan = status?.scan ?? null;
  const activities = status?.activities ?? [];
  for (const work of [scan, ...activities]) {
    if (work?.function === "resilver" && work.state === "in_progress") {
      const of = work.vdev ? ` of ${work.vdev}` : "";
      problems.push(`resilver${of} in progress${work.done_pct === null ? "" : ` (${work.done_pct}% done)`}`);
    }
  }
  // Only the `-v` list an agent sent; the older errors_text form is named by data_errors above.
  const files = status?.error_files ?? [];
  const filesTotal = (status?.error_files_total ?? files.length) || null;
  if (filesTotal !== null) {
    problems.push(
      `${filesTotal} damaged file${filesTotal === 1 ? "" : "s"}: ${namedFiles(files, filesTotal)}`,
    );
  }
  if (scan?.function === "scrub" && (scan.repaired_bytes ?? 0) > 0) {
    // ZFS repaired what a checksum showed was wrong: the pool is fine now, a disk or cable may not be.
    problems.push(
      `scrub repaired ${formatBytes(scan.repaired_bytes ?? 0)}: corruption was found and fixed (check the disks' errors and SMART)`,
    );
  }
  if (summary.full) problems.push(`${list?.capacity_pct}% full`);
  const tree = capList(status?.vdevs ?? [], MAX_VDEVS);
  return {
    name,
    state,
    size_bytes: list?.size_bytes ?? null,
    alloc_bytes: list?.alloc_bytes ?? null,
    free_bytes: list?.free_bytes ?? null,
    fragmentation_pct: list?.fragmentation_pct ?? null,
    capacity_pct: list?.capacity_pct ?? null,
    dedup_ratio: list?.dedup_ratio ?? null,
    status_text: status?.status_text ?? null,
    action_text: status?.action_text ?? null,
    scan,
    scan_age_days: scanAgeDays(scan, now),
    errors_text: status?.errors_text ?? null,
    data_errors: status?.data_errors ?? null,
    device_errors,
    pool_errors: summary.pool_errors,
    problems,
    vdevs: tree.items,
    vdevs_truncated: tree.truncated,
    activities,
    checkpoint: status?.checkpoint ?? null,
    error_files: files,
    error_files_total: filesTotal,
  };
}

/**
 * Whole days since the scan's local time, read as if it were UTC: off by the host's zone (at most
 * 14 h), which is why it is given in days (one decimal) and called approximate.
 */
function scanAgeDays(scan: PoolView["scan"], now: Date): number | null {
  if (scan?.at_local === null || scan?.at_local === undefined) return null;
  const at = Date.parse(`${scan.at_local}Z`);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.round((now.getTime() - at) / 8_640_000) / 10);
}

/** The sources of the sample that failed, for the answer. */
export function sourceErrors(data: ZfsData): { source: string; code: string; message: string }[] {
  const out: { source: string; code: string; message: string }[] = [];
  for (const [source, result] of Object.entries(data)) {
    if (result !== null && !result.ok) out.push({ source, ...result.error });
  }
  return out;
}
