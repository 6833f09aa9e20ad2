import { formatAge } from "@infrastructor/mcp/answer/provenance.ts";
import { formatBytes } from "@infrastructor/mcp/tools/common/domain-data.ts";
import type { HistoryMetric, MetricStats } from "./history-stats.ts";
import type { LatestSample } from "./latest-sample.ts";
import type { History } from "./metrics-history.ts";

/** Lines of each list the text shows; the structured answer holds up to 30 of each. */
const TEXT_DISKS = 12;
const TEXT_OTHERS = 6;

const pct = (v: number | null): string => (v === null ? "?" : `${v}%`);
const rate = (bytesPerS: number): string => `${formatBytes(bytesPerS)}/s`;

/** `load 7.9/6.1/5 on 4 cores`: a load means nothing without the number of cores it runs on. */
export function loadText(
  load: { load_1: number; load_5: number; load_15: number },
  cores: number | null,
): string {
  return `load ${load.load_1}/${load.load_5}/${load.load_15} (1/5/15 min) on ${cores ?? "?"} cores`;
}

/** The latest sample: the headline, then each list worst or busiest first, each cut with a count. */
export function renderLatest(
  name: string,
  l: LatestSample,
  cores: number | null,
  warnings: string[],
  provenance: string,
): string[] {
  const cpu =
    l.cpu === null
      ? `cpu ${pct(l.cpu_pct)}`
      : `cpu ${pct(l.cpu_pct)} (user ${l.cpu.user_pct}%, system ${l.cpu.system_pct}%, iowait ${l.cpu.iowait_pct}%)`;
  const swap =
    l.swap.total_bytes === 0
      ? "no swap"
      : `swap ${pct(l.swap.used_pct)} of ${formatBytes(l.swap.total_bytes)} (${formatBytes(l.swap.used_bytes)} used)`;
  const lines = [
    `${name}: ${cpu}, ${loadText(l.load, cores)}, memory ${pct(l.memory.used_pct)} of ${formatBytes(l.memory.total_bytes)} (${formatBytes(l.memory.used_bytes)} used, ${formatBytes(l.memory.available_bytes)} available), ${swap}, up ${formatAge(l.uptime_s)}, ${l.process_count} processes`,
    warnings.length > 0 ? `warnings: ${warnings.join("; ")}` : "warnings: none",
    provenance,
  ];
  const disks = l.disks.slice(0, TEXT_DISKS);
  const moreDisks = l.disks.length - disks.length;
  lines.push(
    `filesystems, fullest first (${l.disks.length}${l.disks_truncated ? "+, cut at 30" : ""}):`,
    ...disks.map(
      (d) =>
        `- ${d.mountpoint} ${pct(d.used_pct)} of ${formatBytes(d.size_bytes)}, ${formatBytes(d.free_bytes)} free, inodes ${pct(d.inodes_used_pct)} (${d.fstype} on ${d.device})`,
    ),
  );
  if (moreDisks > 0) lines.push(`- ${moreDisks} more, emptier (all in the structured answer)`);
  lines.push(
    listLine(
      "disk I/O, busiest first",
      l.disk_io.map(
        (d) =>
          `${d.disk} ${d.busy_pct}% busy, read ${rate(d.read_bytes_per_s)}, write ${rate(d.write_bytes_per_s)}`,
      ),
    ),
    listLine(
      "network, most traffic first",
      l.network.map(
        (n) =>
          `${n.interface} rx ${rate(n.rx_bytes_per_s)} tx ${rate(n.tx_bytes_per_s)}${n.errors_per_s > 0 ? `, ${n.errors_per_s} errors/s` : ""}${n.drops_per_s > 0 ? `, ${n.drops_per_s} drops/s` : ""}`,
      ),
    ),
    listLine(
      "temperatures, hottest first",
      l.temperatures.map((t) => {
        const limits = [
          t.high_c === null ? null : `high ${t.high_c}`,
          t.critical_c === null ? null : `critical ${t.critical_c}`,
        ]
          .filter(Boolean)
          .join(", ");
        return `${t.sensor} ${t.temp_c} °C${limits ? ` (${limits})` : ""}`;
      }),
    ),
  );
  return lines;
}

function listLine(label: string, items: string[]): string {
  if (items.length === 0) return `${label}: none`;
  const shown = items.slice(0, TEXT_OTHERS);
  const more = items.length - shown.length;
  return `${label}: ${shown.join("; ")}${more > 0 ? `; ${more} more` : ""}`;
}

const LABELS: Record<HistoryMetric, string> = {
  cpu_pct: "cpu %",
  load_1: "load (1 min)",
  mem_used_pct: "memory %",
};

/** The history: how it was read, each metric's figures and trend, then the series as a small table. */
export function renderHistory(h: History, cores: number | null): string[] {
  const how = h.downsampled
    ? `${h.resolution}, ${h.points_available} points merged into ${h.points.length} of ${h.bucket_s} s`
    : `${h.resolution}, ${h.points.length} points`;
  const lines = [`history ${h.range} from ${h.from} to ${h.to} (${how}; ${h.summary.samples} samples):`];
  if (h.summary.samples === 0) {
    lines.push("- no samples in this range");
    return lines;
  }
  const highAt = h.summary.cpu_pct_max_at;
  for (const key of Object.keys(LABELS) as HistoryMetric[]) {
    const m = h.stats[key];
    if (m === undefined) {
      lines.push(`- ${LABELS[key]}: no data`);
      continue;
    }
    const where =
      key === "cpu_pct" && highAt !== null
        ? ` at ${highAt}`
        : key === "load_1"
          ? ` on ${cores ?? "?"} cores`
          : "";
    lines.push(`- ${LABELS[key]}: ${stats(m)}${where}`);
  }
  if (h.summary.swap_used_bytes_max !== null)
    lines.push(`- swap used: max ${formatBytes(h.summary.swap_used_bytes_max)}`);
  const width = (Date.parse(h.to) - Date.parse(h.from)) / 24 / 1000;
  lines.push(
    `series (UTC start of each ${formatAge(width)} bucket: cpu % / load / memory %; averages):`,
    h.series
      .map(
        (p) =>
          `${shortTime(p.time, h.range)} ${p.cpu_pct ?? "?"}/${p.load_1 ?? "?"}/${p.mem_used_pct ?? "?"}`,
      )
      .join(", "),
  );
  return lines;
}

function stats(m: MetricStats): string {
  const sign = m.slope > 0 ? "+" : "";
  return `min ${m.min} avg ${m.avg} max ${m.max}; first ${m.first}, last ${m.last}; ${m.trend} (${sign}${m.slope}/${m.slope_per === "hour" ? "h" : "day"})`;
}

/** `14:05` within a day, `12-01 14:05` beyond. */
function shortTime(iso: string, range: string): string {
  const d = iso.slice(5, 16).replace("T", " ");
  const withinADay = range.endsWith("m") || (range.endsWith("h") && Number.parseInt(range, 10) <= 24);
  return withinADay ? d.slice(6) : d;
}
