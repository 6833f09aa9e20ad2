import { z } from "zod";
import { describePage, PageArgs, PageSchema, paginate } from "../answer/paginate.ts";
import { formatAge } from "../answer/provenance.ts";
import { formatBytes } from "./common/domain-data.ts";
import { type DeviceSummary, DeviceSummarySchema, summarizeDevice } from "./devices/device-summary.ts";
import { defineTool, READ_ONLY } from "./tool.ts";

export const listDevices = defineTool({
  name: "list_devices",
  title: "List devices",
  description:
    "Lists every monitored device (host) with whether its agent is reporting, when it was last seen, OS, " +
    "kernel, CPU cores, memory and tags. Use it first to learn the device names other tools take. Devices " +
    "not reporting come first.",
  input: { ...PageArgs },
  output: {
    summary: z.object({ devices: z.number(), reporting: z.number(), not_reporting: z.array(z.string()) }),
    devices: z.array(DeviceSummarySchema),
    page: PageSchema,
  },
  annotations: READ_ONLY,
  async run(ctx, args) {
    const now = new Date();
    const staleMs = ctx.domains.freshness.staleAfterMs("system");
    const all = (await ctx.store.listDevices()).map((d) => summarizeDevice(d, staleMs, now));
    all.sort((a, b) => Number(a.reporting) - Number(b.reporting) || a.name.localeCompare(b.name));
    const notReporting = all.filter((d) => !d.reporting).map((d) => d.name);
    const { items, page } = paginate(all, args);
    const lines = items.map(describeDevice);
    const head = `${all.length} devices, ${all.length - notReporting.length} reporting${notReporting.length ? `; not reporting: ${notReporting.join(", ")}` : ""}.`;
    return {
      structured: {
        summary: {
          devices: all.length,
          reporting: all.length - notReporting.length,
          not_reporting: notReporting,
        },
        devices: items,
        page,
      },
      text: [
        head,
        "Each line: stored (read from the database, not live) and how old the agent's last report is.",
        describePage(page, "devices"),
        ...lines,
      ].join("\n"),
    };
  },
});

/** "- nas: reporting, stored, 42 s old; Debian GNU/Linux 12, kernel 6.1.0, x86_64, 4 cores, 7.8 GiB; ..." */
function describeDevice(d: DeviceSummary): string {
  const age = d.last_seen_age_s === null ? "never seen" : `stored, ${formatAge(d.last_seen_age_s)} old`;
  const facts = [
    d.os ?? "unknown OS",
    d.kernel === null ? null : `kernel ${d.kernel}`,
    d.arch,
    `${d.cpu_cores ?? "?"} cores`,
    d.memory_total_bytes === null ? null : `${formatBytes(d.memory_total_bytes)} RAM`,
    d.agent_version === null ? null : `agent ${d.agent_version}`,
  ].filter((x) => x !== null);
  const tags = d.tags.length > 0 ? `; tags ${d.tags.join(", ")}` : "";
  return `- ${d.name}: ${d.reporting ? "reporting" : "NOT REPORTING"}, ${age}${d.last_seen ? ` (last seen ${d.last_seen})` : ""}; ${facts.join(", ")}${tags}; SSH ${d.ssh ? "configured" : "not configured"}`;
}
