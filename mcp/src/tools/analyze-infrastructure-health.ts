import { failingChannels, failingChannelsLine } from "@infrastructor/lib/alerts/alert-list.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";
import { z } from "zod";
import { describePage, PageArgs, PageSchema, paginate } from "../answer/paginate.ts";
import type { ReadEvents } from "../domain-reader.ts";
import { correlateDrivesWithPools } from "./fleet/correlate.ts";
import { FindingSchema, publicFinding, sortFindings } from "./fleet/finding.ts";
import { CoverageSchema, fleetFindings } from "./fleet/fleet-findings.ts";
import { HEALTH_DOMAINS as DOMAINS, type HealthWindow } from "./fleet/health-check.ts";
import { findingLines } from "./fleet/health-text.ts";
import { defineTool, READ_ONLY, type ToolContext } from "./tool.ts";

export const analyzeInfrastructureHealth = defineTool({
  name: "analyze_infrastructure_health",
  title: "Fleet health",
  description:
    "The whole fleet in one answer, worst first: critical (data at risk or a host down: pools not ONLINE, " +
    "members FAULTED/REMOVED/UNAVAIL, permanent errors, failing drives, hosts not reporting), then warning " +
    "and info; within a severity data at risk before services down before capacity before hygiene. A " +
    "failing drive of a degraded pool is one finding with both facts. Also: kernel I/O errors and OOM " +
    "kills in the stored logs, scrubs that repaired data, backups late, failed or never successful, " +
    "containers restarting, looping, exited non-zero in an up compose project or with a depends_on target " +
    "down, filesystems full within full_within_days at their growth, thresholds, pending updates. Each " +
    "finding has severity, impact, device, domain, what, evidence and the age of its data. Summary first; " +
    "findings are paged. Stale devices with SSH are read live (progress is reported).",
  input: {
    ...PageArgs,
    window_h: z
      .number()
      .min(1)
      .max(24 * 30)
      .optional()
      .describe("How far back logs, disk growth and restart counts are read (default 24 h)."),
    full_within_days: z
      .number()
      .min(0.1)
      .max(365)
      .optional()
      .describe("A filesystem full within this many days at its growth is a finding (default 7)."),
  },
  output: {
    summary: z.object({
      devices: z.number(),
      reporting: z.number(),
      not_reporting: z.array(z.string()),
      critical: z.number(),
      warning: z.number(),
      info: z.number(),
      devices_with_findings: z.number(),
      thresholds: z.object({ cpu_pct: z.number(), mem_pct: z.number(), disk_pct: z.number() }),
      window_h: z.number(),
      full_within_days: z.number(),
      alert_channels_failing: z
        .array(z.string())
        .describe(
          "alert channels whose notifications are not getting through: the user may not hear of these",
        ),
    }),
    coverage: z
      .array(CoverageSchema)
      .describe("per domain: how many devices the findings rest on, and how fresh"),
    findings: z.array(FindingSchema),
    page: PageSchema,
  },
  annotations: READ_ONLY,
  async run(ctx, args) {
    const now = new Date();
    const w: HealthWindow = { windowH: args.window_h ?? 24, fullWithinDays: args.full_within_days ?? 7 };
    const { devices, judged, notReporting, coverage } = await fleetFindings(ctx, w, now, {
      live: true,
      events: (index, domain) => events(ctx, index, domain),
    });
    const findings = sortFindings(correlateDrivesWithPools(judged)).map(publicFinding);
    const channels = await ctx.store.guard("read alert channel health", () => failingChannels(ctx.sql));
    const count = (s: string): number => findings.filter((f) => f.severity === s).length;
    const t = ctx.config.thresholds;
    const summary = {
      devices: devices.length,
      reporting: devices.length - notReporting.length,
      not_reporting: notReporting,
      critical: count("critical"),
      warning: count("warning"),
      info: count("info"),
      devices_with_findings: new Set(findings.filter((f) => f.severity !== "info").map((f) => f.device)).size,
      thresholds: { cpu_pct: t.cpuPct, mem_pct: t.memPct, disk_pct: t.diskPct },
      window_h: w.windowH,
      full_within_days: w.fullWithinDays,
      alert_channels_failing: channels.map((c) => c.channel),
    };
    const { items, page } = paginate(findings, args);
    const lines = [
      `${summary.devices} devices (${summary.reporting} reporting${notReporting.length ? `; NOT reporting: ${notReporting.join(", ")}` : ""}): ${summary.critical} critical, ${summary.warning} warning, ${summary.info} info.`,
      `data: ${coverage.map((c) => `${c.domain} ${c.fresh} fresh${c.stale ? `/${c.stale} stale` : ""}${c.live ? `/${c.live} live` : ""}`).join(", ")}; logs, growth and restarts over ${w.windowH} h`,
      ...[failingChannelsLine(channels)].filter((l) => l !== null),
      describePage(page, "findings"),
      ...findingLines(items),
    ];
    return { structured: { summary, coverage, findings: items, page }, text: lines.join("\n") };
  },
});

/** Live fallback reports: a progress notification per device read live, a log line before each. */
function events(ctx: ToolContext, index: number, domain: Domain): ReadEvents {
  return {
    progress(done, total, device) {
      const progress = index + done / total;
      ctx
        .progress(progress, DOMAINS.length, `${domain}: read ${device} live (${done}/${total})`)
        .catch(() => {});
    },
    fallingBack(device, _domain, reason) {
      ctx.notify("info", `falling back to live SSH for ${device} (${domain}: ${reason})`).catch(() => {});
    },
  };
}
