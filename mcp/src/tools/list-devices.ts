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
    const { common, lines } = describeDevices(items);
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
        ...(common === null ? [] : [common]),
        describePage(page, "devices"),
        ...lines,
      ].join("\n"),
    };
  },
});

/** The facts a device line may carry, each as its text ("?" where unknown: never silently the usual). */
const FACTS: [string, (d: DeviceSummary) => string][] = [
  ["os", (d) => d.os ?? "unknown OS"],
  ["kernel", (d) => `kernel ${d.kernel ?? "?"}`],
  ["arch", (d) => d.arch ?? "arch ?"],
  ["cores", (d) => `${d.cpu_cores ?? "?"} cores`],
  ["memory", (d) => `${d.memory_total_bytes === null ? "?" : formatBytes(d.memory_total_bytes)} RAM`],
  ["agent", (d) => `agent ${d.agent_version ?? "?"}`],
  ["ssh", (d) => `SSH ${d.ssh ? "configured" : "not configured"}`],
];

/**
 * One line per device, "- nas: reporting, stored, 42 s old; kernel 6.1.0; tags a, b". The value of a
 * fact that most listed devices share (a fleet runs one OS and one agent version) is said once, in
 * `common`, and a line names only its facts that differ: fifty lines stay within the token budget.
 */
function describeDevices(items: DeviceSummary[]): { common: string | null; lines: string[] } {
  const usual = FACTS.map(([, f]) => {
    const counts = new Map<string, number>();
    for (const d of items) counts.set(f(d), (counts.get(f(d)) ?? 0) + 1);
    const [value, n] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? ["", 0];
    return items.length > 1 && n * 2 > items.length ? value : undefined;
  });
  const commonFacts = usual.filter((v) => v !== undefined);
  const lines = items.map((d) => {
    const age = d.last_seen_age_s === null ? "never seen" : `stored, ${formatAge(d.last_seen_age_s)} old`;
    const facts = FACTS.flatMap(([, f], i) => {
      const value = f(d);
      return value === usual[i] ? [] : [value];
    });
    const tags = d.tags.length > 0 ? `; tags ${d.tags.join(", ")}` : "";
    return `- ${d.name}: ${d.reporting ? "reporting" : "NOT REPORTING"}, ${age}${facts.length ? `; ${facts.join(", ")}` : ""}${tags}`;
  });
  return {
    common: commonFacts.length > 0 ? `Unless a line says otherwise: ${commonFacts.join(", ")}.` : null,
    lines,
  };
}
