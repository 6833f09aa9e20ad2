import { formatBytes, round } from "@infrastructor/mcp/tools/common/domain-data.ts";
import {
  memberStateSeverity,
  permanentErrorsSeverity,
  poolStateSeverity,
  SEVERITIES,
  type Verdict,
  verdictOf,
} from "@infrastructor/mcp/tools/fleet/severity.ts";
import { z } from "zod";
import type { ZfsPoolStatus, ZfsScan } from "../../../schema.ts";

export type { Verdict } from "@infrastructor/mcp/tools/fleet/severity.ts";
export const VerdictSchema = z.enum(["ok", "warning", "failing"]);

export const PoolIntegritySchema = z.object({
  name: z.string(),
  state: z.string(),
  verdict: VerdictSchema,
  severity: z
    .enum(SEVERITIES)
    .nullable()
    .describe("the fleet health check's severity of this pool (critical: data at risk); null when ok"),
  reasons: z.array(z.string()),
  notes: z.array(z.string()).describe("worth knowing, not a problem"),
  last_scrub: z
    .object({
      state: z.enum(["in_progress", "paused", "finished", "canceled"]),
      at_local: z.string().nullable().describe("end (or start, in progress) in the host's local time"),
      age_days: z.number().nullable().describe("approximate: the host's time zone is not known"),
      errors: z.number().nullable(),
      repaired_bytes: z.number().nullable(),
      done_pct: z.number().nullable(),
    })
    .nullable()
    .describe("null when the pool was never scrubbed, or its last scan was a resilver"),
  current_scan: z.string().describe("what zpool status says of the last scan, in words"),
  vdev_errors: z.array(
    z.object({
      name: z.string(),
      state: z.string().nullable(),
      read_errors: z.number(),
      write_errors: z.number(),
      cksum_errors: z.number(),
      note: z.string().nullable(),
    }),
  ),
  data_errors: z.number().nullable(),
  errors_text: z.string().nullable(),
  permanent_errors: z.object({
    count: z.number().nullable(),
    files: z
      .array(z.string())
      .describe("damaged files or <dataset>:<0xobject> entries, when zpool listed them (the first 100)"),
    files_total: z.number().describe("how many entries zpool listed (files holds the first 100)"),
    datasets: z.array(z.string()),
  }),
});
export type PoolIntegrity = z.infer<typeof PoolIntegritySchema>;

/** `2024-02-04T20:54:25` (host local time) to days before `now`, taking it as UTC (off by hours at most). */
function ageDays(atLocal: string | null, now: Date): number | null {
  if (atLocal === null) return null;
  const t = new Date(`${atLocal}Z`).getTime();
  return Number.isNaN(t) ? null : round(Math.max(0, now.getTime() - t) / 86_400_000);
}

function describeScan(scan: ZfsScan): string {
  if (scan.function === "none") return "never scanned";
  if (scan.function === "unknown") return `scan line of a form not known here: ${scan.text ?? "?"}`;
  const at =
    scan.at_local === null ? "" : ` ${scan.state === "in_progress" ? "since" : "on"} ${scan.at_local}`;
  const pct = scan.done_pct === null ? "" : `, ${scan.done_pct}% done`;
  const errors = scan.errors === null ? "" : `, ${scan.errors} errors`;
  const repaired = scan.repaired_bytes === null ? "" : `, repaired ${formatBytes(scan.repaired_bytes)}`;
  return `${scan.function} ${scan.state.replace("_", " ")}${at}${pct}${repaired}${errors}`;
}

/** Entries of a `Permanent errors have been detected in the following files:` list, when present. */
export function permanentFiles(errorsText: string | null): string[] {
  if (errorsText === null) return [];
  const lines = errorsText.split("\n");
  const start = lines.findIndex((l) => /Permanent errors have been detected/i.test(l));
  if (start < 0) return [];
  return lines
    .slice(start + 1)
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

/**
 * A pool's damaged files: agents that run `zpool status -v` send the list (its first entries and their
 * count); older ones sent it inside errors_text, when at all.
 */
export function damagedFiles(s: Pick<ZfsPoolStatus, "error_files" | "error_files_total" | "errors_text">): {
  files: string[];
  total: number;
} {
  const files = s.error_files ?? permanentFiles(s.errors_text);
  return { files, total: s.error_files_total ?? files.length };
}

/** The first few damaged files by name, and how many more: what an answer's text can carry. */
export function namedFiles(files: readonly string[], total: number, shown = 3): string {
  const named = files.slice(0, shown).join(", ");
  const more = total - Math.min(shown, files.length);
  return more > 0 ? `${named} and ${more} more` : named;
}

/** The dataset of a permanent-error entry: `tank/data:<0x1>` or `tank/data@snap:/file`; null for a path. */
function datasetOf(entry: string): string | null {
  if (entry.startsWith("/") || entry.startsWith("<")) return null;
  const name = entry.split(":")[0] ?? "";
  return name.split("@")[0] || null;
}

/**
 * A pool's integrity from its `zpool status`, judged by the shared severity model (fleet/severity.ts):
 * failing (critical) on a pool DEGRADED, FAULTED, UNAVAIL, SUSPENDED or REMOVED, a member FAULTED,
 * REMOVED or UNAVAIL, permanent data errors, or a scrub that found errors it could not repair; warning
 * on device errors, other member states, a scrub that repaired data, a scrub older than
 * `maxScrubAgeDays`, never run, canceled or paused, or a resilver under way.
 */
export function poolIntegrity(
  s: ZfsPoolStatus,
  opts: { maxScrubAgeDays: number; now: Date; dataset?: string | undefined },
): PoolIntegrity {
  const failing: string[] = [];
  const warning: string[] = [];
  const notes: string[] = [];
  const stateSeverity = poolStateSeverity(s.state);
  if (stateSeverity !== null) (stateSeverity === "critical" ? failing : warning).push(`pool is ${s.state}`);

  const { files: allFiles, total: filesTotal } = damagedFiles(s);
  const files =
    opts.dataset === undefined
      ? allFiles
      : allFiles.filter((f) => {
          const d = datasetOf(f);
          return d === null || d === opts.dataset || d.startsWith(`${opts.dataset}/`);
        });
  const datasets = [...new Set(files.map(datasetOf).filter((d): d is string => d !== null))].sort();
  if (permanentErrorsSeverity(s.data_errors, allFiles.length) !== null) {
    failing.push(
      `${s.data_errors ?? filesTotal} permanent data errors${allFiles.length === 0 ? " (zpool status -v on the host lists the files)" : `: ${namedFiles(allFiles, filesTotal)}`}`,
    );
  } else if (s.data_errors === null && s.errors_text !== null) {
    warning.push(`errors: ${s.errors_text.split("\n")[0]}`);
  }

  const scan = s.scan;
  let lastScrub: PoolIntegrity["last_scrub"] = null;
  if (scan.function === "scrub" && scan.state !== "none" && scan.state !== "unknown") {
    const age = ageDays(scan.at_local, opts.now);
    lastScrub = {
      state: scan.state,
      at_local: scan.at_local,
      age_days: age,
      errors: scan.errors,
      repaired_bytes: scan.repaired_bytes,
      done_pct: scan.done_pct,
    };
    if (scan.state === "finished") {
      if ((scan.errors ?? 0) > 0)
        failing.push(`last scrub (${scan.at_local}) found ${scan.errors} errors it could not repair`);
      if ((scan.repaired_bytes ?? 0) > 0)
        warning.push(`last scrub repaired ${formatBytes(scan.repaired_bytes ?? 0)}`);
      if (age !== null && age > opts.maxScrubAgeDays) {
        warning.push(`last scrub finished ${Math.round(age)} days ago (more than ${opts.maxScrubAgeDays})`);
      }
    } else if (scan.state === "in_progress") {
      notes.push(`scrub in progress${scan.done_pct === null ? "" : `, ${scan.done_pct}% done`}`);
    } else {
      warning.push(
        `last scrub was ${scan.state}${scan.at_local ? ` (${scan.at_local})` : ""}: no complete scrub result`,
      );
    }
  } else if (scan.function === "resilver") {
    if (scan.state === "in_progress")
      warning.push(`resilver in progress${scan.done_pct === null ? "" : ` (${scan.done_pct}% done)`}`);
    notes.push("the last scan was a resilver: zpool status no longer shows the last scrub");
  } else {
    warning.push("never scrubbed");
  }

  const vdevErrors = s.vdevs
    .filter((v) => v.depth > 0 || v.section !== "data")
    .filter(
      (v) =>
        (v.read_errors ?? 0) + (v.write_errors ?? 0) + (v.cksum_errors ?? 0) > 0 ||
        memberStateSeverity(v.state) !== null,
    )
    .map((v) => ({
      name: v.name,
      state: v.state,
      read_errors: v.read_errors ?? 0,
      write_errors: v.write_errors ?? 0,
      cksum_errors: v.cksum_errors ?? 0,
      note: v.note,
    }));
  for (const v of vdevErrors) {
    const into = memberStateSeverity(v.state) === "critical" ? failing : warning;
    const counts = [
      v.read_errors ? `${v.read_errors} read` : null,
      v.write_errors ? `${v.write_errors} write` : null,
      v.cksum_errors ? `${v.cksum_errors} checksum` : null,
    ].filter(Boolean);
    if (counts.length > 0)
      into.push(`${v.name}${v.state ? ` (${v.state})` : ""}: ${counts.join(", ")} errors`);
    else into.push(`${v.name} is ${v.state}`);
  }

  const severity = failing.length > 0 ? "critical" : warning.length > 0 ? "warning" : null;
  return {
    name: s.name,
    state: s.state,
    verdict: verdictOf(severity),
    severity,
    reasons: [...failing, ...warning],
    notes,
    last_scrub: lastScrub,
    current_scan: describeScan(scan),
    vdev_errors: vdevErrors,
    data_errors: s.data_errors,
    errors_text: s.errors_text,
    permanent_errors: {
      count: s.data_errors,
      files,
      files_total: opts.dataset === undefined ? filesTotal : files.length,
      datasets,
    },
  };
}

export function worst(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes("failing")) return "failing";
  return verdicts.includes("warning") ? "warning" : "ok";
}
