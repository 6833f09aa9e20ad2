import { formatBytes } from "@infrastructor/mcp/tools/common/domain-data.ts";
import type { PoolView } from "./pool-view.ts";

/** Vdev rows the text shows per pool; a pool of hundreds of disks keeps its first rows and a count. */
const TEXT_VDEVS = 24;

const oneLine = (text: string): string => text.replace(/\s+/g, " ").trim();

/** "about 12 days ago": the scan's time is the host's local time, so a day is as exact as it gets. */
function ago(days: number | null): string {
  if (days === null) return "";
  if (days < 1) return " (less than a day ago)";
  return ` (about ${Math.round(days)} day${Math.round(days) === 1 ? "" : "s"} ago)`;
}

/** A scan-like line without the pool's scan age: "removal in progress, 40% done". */
function describeActivity(s: PoolView["activities"][number]): string {
  if (s.function === "unknown") return `unrecognized scan line: ${s.text ?? s.state}`;
  const what = `${s.method === "sequential" ? "sequential " : ""}${s.function}${s.vdev ? ` of ${s.vdev}` : ""}`;
  const at = s.at_local === null ? "" : ` (${s.at_local} host time)`;
  const done = s.done_pct === null ? "" : `, ${s.done_pct}% done`;
  return `${what} ${s.state.replace("_", " ")}${at}${done}${s.errors ? `, ${s.errors} errors` : ""}`;
}

/** "last scrub finished 2024-02-11T11:54:20 host time (about 12 days ago), repaired 1.5 MiB, 0 errors" */
export function describeScan(p: PoolView): string {
  const s = p.scan;
  if (s === null) return "scan unknown";
  if (s.function === "none") return "never scrubbed";
  if (s.function === "unknown") return `unrecognized scan line: ${s.text ?? "?"}`;
  const at = s.at_local === null ? "" : ` ${s.at_local} host time`;
  const bytes = s.repaired_bytes === null ? "" : formatBytes(s.repaired_bytes);
  const did = s.function === "scrub" ? "repaired" : "resilvered";
  const errors = s.errors === null ? "" : `, ${s.errors} errors`;
  switch (s.state) {
    case "in_progress":
    case "paused":
      return `${s.function} ${s.state === "paused" ? "paused" : "in progress"}, started${at}${ago(p.scan_age_days)}, ${s.done_pct ?? "?"}% done${bytes ? `, ${bytes} ${did} so far` : ""}`;
    case "canceled":
      return `${s.function} canceled${at}${ago(p.scan_age_days)}`;
    case "finished":
      return `last ${s.function} finished${at}${ago(p.scan_age_days)}${bytes ? `, ${did} ${bytes}` : ""}${errors}`;
    default:
      return `${s.function} ${s.state}`;
  }
}

/** One pool: its headline, problems, status and action text, then the vdev tree with counters. */
export function renderPool(p: PoolView): string[] {
  const size =
    p.size_bytes === null
      ? ""
      : `, ${formatBytes(p.alloc_bytes ?? 0)} used of ${formatBytes(p.size_bytes)} (${p.capacity_pct}%), ${formatBytes(p.free_bytes ?? 0)} free, fragmentation ${p.fragmentation_pct === null ? "?" : `${p.fragmentation_pct}%`}, dedup ${p.dedup_ratio ?? "?"}x`;
  const e = p.device_errors;
  const lines = [
    `- ${p.name} ${p.state}${size}`,
    `    ${describeScan(p)}; errors: ${p.errors_text === null ? "?" : oneLine(p.errors_text)}; device errors read ${e.read}, write ${e.write}, checksum ${e.cksum}`,
  ];
  if (p.problems.length > 0) lines.push(`    problems: ${p.problems.join("; ")}`);
  if (p.activities.length > 0) lines.push(`    also: ${p.activities.map(describeActivity).join("; ")}`);
  if (p.checkpoint !== null) {
    const space = p.checkpoint.space_bytes === null ? "" : `, ${formatBytes(p.checkpoint.space_bytes)}`;
    lines.push(
      `    checkpoint ${p.checkpoint.state}${p.checkpoint.at_local ? ` since ${p.checkpoint.at_local}` : ""}${space}`,
    );
  }
  if (p.status_text) lines.push(`    status: ${oneLine(p.status_text)}`);
  if (p.action_text) lines.push(`    action: ${oneLine(p.action_text)}`);
  const rows = p.vdevs.filter((v) => v.depth > 0 || v.section !== "data");
  const shown = rows.slice(0, TEXT_VDEVS);
  lines.push(
    ...shown.map((v) => {
      const counts =
        v.read_errors === null ? "" : ` ${v.read_errors}/${v.write_errors ?? 0}/${v.cksum_errors ?? 0}`;
      return `    ${"  ".repeat(v.depth)}${v.name}${v.state === null ? ":" : ` ${v.state}`}${counts}${v.note ? ` ${v.note}` : ""}`;
    }),
  );
  const more = rows.length - shown.length + (p.vdevs_truncated ? 1 : 0);
  if (more > 0)
    lines.push(
      `    ${more}${p.vdevs_truncated ? "+" : ""} more vdev rows (problems above name every bad one)`,
    );
  return lines;
}
