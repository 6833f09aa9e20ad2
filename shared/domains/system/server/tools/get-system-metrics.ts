import { describeProvenance, ProvenanceSchema } from "@infrastructor/mcp/answer/provenance.ts";
import { DeviceArg } from "@infrastructor/mcp/args/names.ts";
import { requireData } from "@infrastructor/mcp/tools/common/domain-data.ts";
import { describeUnreadable, ItemErrorsSchema } from "@infrastructor/mcp/tools/common/item-errors.ts";
import { defineTool, READ_ONLY } from "@infrastructor/mcp/tools/tool.ts";
import { z } from "zod";
import { LatestSampleSchema, latestSample, latestWarnings } from "./latest-sample.ts";
import {
  type History,
  HistorySchema,
  MAX_RANGE_MS,
  pickResolution,
  RANGE_PATTERN,
  rangeMs,
  readHistory,
} from "./metrics-history.ts";
import { renderHistory, renderLatest } from "./render-metrics.ts";

export const getSystemMetrics = defineTool({
  name: "get_system_metrics",
  title: "System metrics",
  description:
    "CPU, load, memory, swap, uptime, filesystem usage, disk I/O, network rates and temperatures of one " +
    "device: its latest sample, and with `range` its history: per metric min/avg/max, first and last, the " +
    "trend (rising/falling/flat with its least-squares slope) and a series of at most 24 bucket averages; " +
    "the structured answer also has every point. Load is given with the core count. " +
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
      cpu_cores: z.number().nullable().describe("the sample's core count, else the inventory's"),
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
    unreadable: ItemErrorsSchema.describe(
      "mounts, disks, interfaces and sensors the agent could not read (named `list:item`); the others are above",
    ),
  },
  annotations: READ_ONLY,
  async run(ctx, args) {
    const device = await ctx.store.device(args.device);
    const answer = await ctx.domains.read(device, "system");
    const data = requireData(answer);
    const latest = latestSample(data);
    const lists = ["mounts", "disks", "interfaces", "temperatures"] as const;
    const unreadableLists = lists.map((list) => ({
      errors: data.item_errors?.[list] ?? [],
      dropped: data.item_errors_dropped?.[list],
      prefix: `${list} `,
    }));
    const unreadable = unreadableLists.flatMap((l) =>
      l.errors.map((e) => ({ ...e, name: `${l.prefix.trim()}:${e.name ?? "?"}` })),
    );
    const unreadLine = describeUnreadable(unreadableLists, ["item", "items"]);
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
    // The sample's own count; an agent's first sample has no cpu block, the inventory still knows.
    const cores = latest.cpu?.cores ?? device.cpu_cores;
    const fullest = latest.disks[0];
    const hottest = latest.temperatures[0];
    const summary = {
      cpu_pct: latest.cpu_pct,
      load_1: latest.load.load_1,
      cpu_cores: cores,
      memory_used_pct: latest.memory.used_pct,
      swap_used_pct: latest.swap.used_pct,
      fullest_mount:
        fullest === undefined ? null : { mountpoint: fullest.mountpoint, used_pct: fullest.used_pct },
      hottest_sensor: hottest === undefined ? null : { sensor: hottest.sensor, temp_c: hottest.temp_c },
      uptime_s: latest.uptime_s,
      warnings,
    };
    return {
      structured: { summary, provenance: answer.provenance, latest, history, unreadable },
      text: [
        ...renderLatest(device.hostname, latest, cores, warnings, describeProvenance(answer.provenance)),
        ...(unreadLine === null ? [] : [unreadLine]),
        ...(history === null ? [] : renderHistory(history, cores)),
      ].join("\n"),
    };
  },
});
