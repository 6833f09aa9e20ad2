import { z } from "zod";
import { describeProvenance, formatAge, ProvenanceSchema } from "../answer/provenance.ts";
import { DeviceArg } from "../args/names.ts";
import { formatBytes, requireData } from "./common/domain-data.ts";
import { LatestSampleSchema, latestSample, latestWarnings } from "./system/latest-sample.ts";
import {
  type History,
  HistorySchema,
  MAX_RANGE_MS,
  pickResolution,
  RANGE_PATTERN,
  rangeMs,
  readHistory,
} from "./system/metrics-history.ts";
import { defineTool, READ_ONLY } from "./tool.ts";

export const getSystemMetrics = defineTool({
  name: "get_system_metrics",
  title: "System metrics",
  description:
    "CPU, load, memory, swap, uptime, filesystem usage, disk I/O, network rates and temperatures of one " +
    "device: its latest sample, and with `range` its history (highs and averages first, then points). " +
    "Use it to answer 'is nas overloaded / running out of disk / was it busy last night'. Warnings name " +
    "what is over the cpu, memory or disk thresholds now.",
  input: {
    device: DeviceArg,
    range: z
      .string()
      .regex(RANGE_PATTERN, "use e.g. 30m, 6h, 24h, 7d or 30d")
      .refine((r) => rangeMs(r) > 0 && rangeMs(r) <= MAX_RANGE_MS, "between 1m and 365d")
      .optional()
      .describe(
        "History back from now: 30m, 6h, 24h, 7d, 30d. Without it only the latest sample comes back.",
      ),
    resolution: z
      .enum(["auto", "raw", "hourly", "daily"])
      .optional()
      .describe(
        "raw samples, hourly or daily rollups; auto (default) picks raw up to 6h, hourly up to 7d, daily beyond.",
      ),
    max_points: z
      .number()
      .int()
      .min(10)
      .max(1000)
      .optional()
      .describe("At most this many history points (default 300); more are merged into wider buckets."),
  },
  output: {
    summary: z.object({
      cpu_pct: z.number().nullable(),
      load_1: z.number(),
      memory_used_pct: z.number().nullable(),
      swap_used_pct: z.number().nullable(),
      fullest_mount: z.object({ mountpoint: z.string(), used_pct: z.number().nullable() }).nullable(),
      hottest_sensor: z.object({ sensor: z.string(), temp_c: z.number() }).nullable(),
      uptime_s: z.number(),
      warnings: z.array(z.string()),
    }),
    provenance: ProvenanceSchema,
    latest: LatestSampleSchema,
    history: HistorySchema.nullable(),
  },
  annotations: READ_ONLY,
  async run(ctx, args) {
    const device = await ctx.store.device(args.device);
    const answer = await ctx.domains.read(device, "system");
    const latest = latestSample(requireData(answer));
    const warnings = latestWarnings(latest, ctx.config.thresholds);
    let history: History | null = null;
    if (args.range !== undefined) {
      const resolution = pickResolution(rangeMs(args.range), args.resolution ?? "auto");
      history = await readHistory(
        ctx.store,
        device.id,
        args.range,
        resolution,
        args.max_points ?? 300,
        new Date(),
      );
    }
    const fullest = latest.disks[0];
    const hottest = latest.temperatures[0];
    const summary = {
      cpu_pct: latest.cpu_pct,
      load_1: latest.load.load_1,
      memory_used_pct: latest.memory.used_pct,
      swap_used_pct: latest.swap.used_pct,
      fullest_mount:
        fullest === undefined ? null : { mountpoint: fullest.mountpoint, used_pct: fullest.used_pct },
      hottest_sensor: hottest === undefined ? null : { sensor: hottest.sensor, temp_c: hottest.temp_c },
      uptime_s: latest.uptime_s,
      warnings,
    };
    return {
      structured: { summary, provenance: answer.provenance, latest, history },
      text: render(device.hostname, summary, latest, history, describeProvenance(answer.provenance)),
    };
  },
});

function render(
  name: string,
  s: { warnings: string[] },
  l: z.infer<typeof LatestSampleSchema>,
  history: History | null,
  provenance: string,
): string {
  const pct = (v: number | null): string => (v === null ? "?" : `${v}%`);
  const lines = [
    `${name}: cpu ${pct(l.cpu_pct)}, load ${l.load.load_1}/${l.load.load_5}/${l.load.load_15}, memory ${pct(l.memory.used_pct)} of ${formatBytes(l.memory.total_bytes)}, ${l.swap.total_bytes === 0 ? "no swap" : `swap ${pct(l.swap.used_pct)}`}, up ${formatAge(l.uptime_s)}`,
    s.warnings.length > 0 ? `warnings: ${s.warnings.join("; ")}` : "warnings: none",
    provenance,
    ...l.disks
      .slice(0, 5)
      .map((d) => `- ${d.mountpoint} ${pct(d.used_pct)} of ${formatBytes(d.size_bytes)} (${d.fstype})`),
  ];
  if (l.temperatures[0] !== undefined)
    lines.push(`hottest: ${l.temperatures[0].sensor} ${l.temperatures[0].temp_c} °C`);
  if (history !== null) {
    const h = history.summary;
    const more = history.downsampled
      ? `, downsampled from ${history.points_available} to ${history.points.length} points of ${history.bucket_s} s`
      : `, ${history.points.length} points`;
    lines.push(
      `history ${history.range} (${history.resolution}${more}): ${h.samples} samples; cpu avg ${pct(h.cpu_pct_avg)} max ${pct(h.cpu_pct_max)}${h.cpu_pct_max_at ? ` at ${h.cpu_pct_max_at}` : ""}; load avg ${h.load_1_avg ?? "?"} max ${h.load_1_max ?? "?"}; memory avg ${pct(h.mem_used_pct_avg)} max ${pct(h.mem_used_pct_max)}`,
    );
  }
  return lines.join("\n");
}
