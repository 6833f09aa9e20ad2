import { describePage, PageArgs, PageSchema, paginate } from "@infrastructor/mcp/answer/paginate.ts";
import { describeProvenance, formatAge, ProvenanceSchema } from "@infrastructor/mcp/answer/provenance.ts";
import { DeviceArg } from "@infrastructor/mcp/args/names.ts";
import { requireData } from "@infrastructor/mcp/tools/common/domain-data.ts";
import { describeUnreadable, ItemErrorsSchema } from "@infrastructor/mcp/tools/common/item-errors.ts";
import { defineTool, READ_ONLY } from "@infrastructor/mcp/tools/tool.ts";
import { z } from "zod";
import type { Vm } from "../../schema.ts";

const GuestSchema = z.object({
  id: z.string().describe("libvirt domain name, or the Proxmox VMID"),
  name: z.string(),
  type: z.enum(["vm", "lxc"]),
  source: z.enum(["libvirt", "proxmox"]),
  state: z.enum(["running", "stopped", "paused", "suspended", "crashed", "other"]),
  state_detail: z.string(),
  node: z.string().nullable(),
  vcpus: z.number().nullable(),
  memory_bytes: z.number().nullable(),
  memory_max_bytes: z.number().nullable(),
  uptime_s: z.number().nullable(),
  cpu_pct: z.number().nullable().describe("share of the guest's vCPUs in use, 0..100"),
});
type Guest = z.infer<typeof GuestSchema>;

const SourceSchema = z.object({
  source: z.enum(["libvirt", "proxmox"]),
  status: z.enum(["ok", "failed", "not_installed"]),
  guests: z.number(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  item_errors: ItemErrorsSchema,
  item_errors_dropped: z.number().describe("unreadable guests beyond item_errors, only counted"),
});

/** Attention first: a crashed or paused guest matters more than one that runs or was shut down. */
const STATE_RANK: Record<Guest["state"], number> = {
  crashed: 0,
  paused: 1,
  suspended: 2,
  other: 3,
  running: 4,
  stopped: 5,
};

const noItems = { item_errors: [], item_errors_dropped: 0 };

export const getVmStatus = defineTool({
  name: "get_vm_status",
  title: "VMs and LXC containers",
  description:
    "Virtual machines and LXC containers on a hypervisor host (libvirt/virsh and Proxmox VE): counts of " +
    "running and stopped guests first, then each guest with id, name, type (vm or lxc), state, vCPUs, memory, " +
    "uptime and cpu %. Crashed or paused guests come first. COMMAND_MISSING when the host has neither " +
    "libvirt nor Proxmox.",
  input: { device: DeviceArg, ...PageArgs },
  output: {
    summary: z.object({
      guests: z.number(),
      running: z.number(),
      stopped: z.number(),
      other: z.number().describe("paused, suspended, crashed or unknown"),
      vms: z.number(),
      lxc: z.number(),
    }),
    sources: z.array(SourceSchema),
    guests: z.array(GuestSchema),
    page: PageSchema,
    provenance: ProvenanceSchema,
  },
  annotations: READ_ONLY,
  async run(ctx, args) {
    const device = await ctx.store.device(args.device);
    const answer = await ctx.domains.read(device, "vms");
    const data = requireData(answer, "VM status");
    const sources: z.infer<typeof SourceSchema>[] = [];
    const all: Guest[] = [];
    for (const source of ["libvirt", "proxmox"] as const) {
      const result = data[source];
      if (result === null) {
        sources.push({ ...noItems, source, status: "not_installed", guests: 0, error: null });
      } else if (!result.ok) {
        sources.push({ ...noItems, source, status: "failed", guests: 0, error: result.error });
      } else {
        sources.push({
          source,
          status: "ok",
          guests: result.value.length,
          error: null,
          item_errors: result.item_errors ?? [],
          item_errors_dropped: result.item_errors_dropped ?? 0,
        });
        all.push(...result.value.map((vm: Vm) => ({ ...vm, source })));
      }
    }
    all.sort((a, b) => STATE_RANK[a.state] - STATE_RANK[b.state] || a.name.localeCompare(b.name));
    const count = (pred: (g: Guest) => boolean): number => all.filter(pred).length;
    const summary = {
      guests: all.length,
      running: count((g) => g.state === "running"),
      stopped: count((g) => g.state === "stopped"),
      other: count((g) => g.state !== "running" && g.state !== "stopped"),
      vms: count((g) => g.type === "vm"),
      lxc: count((g) => g.type === "lxc"),
    };
    const { items, page } = paginate(all, args);
    const unreadable = describeUnreadable(
      sources.map((s) => ({ errors: s.item_errors, dropped: s.item_errors_dropped, prefix: `${s.source} ` })),
      ["guest", "guests"],
    );
    const lines = [
      `${summary.running} running, ${summary.stopped} stopped${summary.other ? `, ${summary.other} other` : ""} (${summary.vms} VMs, ${summary.lxc} LXC) on ${device.hostname}.`,
      describeProvenance(answer.provenance),
      `sources: ${sources.map((s) => `${s.source} ${s.status === "ok" ? `ok (${s.guests})` : s.status === "failed" ? `FAILED: ${s.error?.code}: ${s.error?.message}` : "not installed"}`).join(", ")}`,
      ...(unreadable === null ? [] : [unreadable]),
      describePage(page, "guests"),
      ...items.map(
        (g) =>
          `- ${g.name} (${g.type} ${g.id}${g.node ? ` on ${g.node}` : ""}): ${g.state_detail || g.state}` +
          `${g.vcpus === null ? "" : `, ${g.vcpus} vCPU`}${memoryText(g.memory_bytes, g.memory_max_bytes)}` +
          `${g.cpu_pct === null ? "" : `, cpu ${g.cpu_pct.toFixed(1)}%`}${g.uptime_s === null ? "" : `, up ${formatAge(g.uptime_s)}`}`,
      ),
    ];
    return {
      structured: { summary, sources, guests: items, page, provenance: answer.provenance },
      text: lines.join("\n"),
    };
  },
});

/** ", 3.0 GiB of 8.0 GiB": what the guest uses and what it may use. */
function memoryText(used: number | null, max: number | null): string {
  const gib = (b: number): string => `${(b / 2 ** 30).toFixed(1)} GiB`;
  if (used === null) return max === null ? "" : `, max ${gib(max)} memory`;
  return `, ${gib(used)}${max === null ? "" : ` of ${gib(max)}`} memory`;
}
