import { z } from "zod";
import { describePage, PageArgs, PageSchema, paginate } from "../answer/paginate.ts";
import { formatAge } from "../answer/provenance.ts";
import { DeviceSummarySchema, summarizeDevice } from "./devices/device-summary.ts";
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
    const lines = items.map((d) => {
      const seen = d.last_seen_age_s === null ? "never seen" : `seen ${formatAge(d.last_seen_age_s)} ago`;
      return `- ${d.name}: ${d.reporting ? "reporting" : "NOT REPORTING"}, ${seen}; ${d.os ?? "unknown OS"}, ${d.cpu_cores ?? "?"} cores`;
    });
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
      text: [head, describePage(page, "devices"), ...lines].join("\n"),
    };
  },
});
