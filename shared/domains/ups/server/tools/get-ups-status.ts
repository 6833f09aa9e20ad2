import { describeProvenance, formatAge, ProvenanceSchema } from "@infrastructor/mcp/answer/provenance.ts";
import { DeviceArg } from "@infrastructor/mcp/args/names.ts";
import { requireData } from "@infrastructor/mcp/tools/common/domain-data.ts";
import { describeUnreadable, ItemErrorsSchema } from "@infrastructor/mcp/tools/common/item-errors.ts";
import { defineTool, READ_ONLY } from "@infrastructor/mcp/tools/tool.ts";
import { z } from "zod";
import type { Ups, UpsData } from "../../schema.ts";
import { STATUS_WORDS, statusFlags, upsProblems } from "../../views.ts";

const UnitSchema = z.object({
  device: z.string(),
  name: z.string().describe("the UPS's name in NUT (upsc NAME)"),
  status: z.string().describe("ups.status as NUT says it, e.g. OL CHRG, OB DISCHRG, OL RB"),
  status_words: z.array(z.string()).describe("the status flags in words"),
  problems: z.array(
    z.object({ rule: z.string(), severity: z.enum(["critical", "warning"]), what: z.string() }),
  ),
  alarm: z.string().nullable(),
  battery_charge_pct: z.number().nullable(),
  battery_runtime_s: z.number().nullable(),
  load_pct: z.number().nullable(),
  input_voltage_v: z.number().nullable(),
  output_voltage_v: z.number().nullable(),
  battery_voltage_v: z.number().nullable(),
  temperature_c: z.number().nullable(),
  model: z.string().nullable(),
  mfr: z.string().nullable(),
  serial: z.string().nullable(),
});
type Unit = z.infer<typeof UnitSchema>;

const DeviceSchema = z.object({
  device: z.string(),
  status: z.enum(["ok", "failed"]).describe("failed: upsc -l itself failed (upsd down?)"),
  units: z.number(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  item_errors: ItemErrorsSchema,
  item_errors_dropped: z.number().describe("unreadable UPS units beyond item_errors, only counted"),
});

export const getUpsStatus = defineTool({
  name: "get_ups_status",
  title: "UPS status (Network UPS Tools)",
  description:
    "UPS units watched by Network UPS Tools (upsc) on each host: status (on line, on battery, low battery, " +
    "replace battery, overload), battery charge and runtime, load, input/output/battery voltage, " +
    "temperature, model and serial. Units with a problem come first. With device, that host only (read " +
    "live when its stored data is stale); without, every host that reports a UPS, from stored data.",
  input: {
    device: DeviceArg.optional().describe("Only this device; omit for every device with a UPS."),
  },
  output: {
    summary: z.object({
      units: z.number(),
      on_battery: z.number(),
      critical: z.number().describe("units with low battery, a battery to replace or overload"),
    }),
    devices: z.array(DeviceSchema),
    units: z.array(UnitSchema),
    provenance: z.array(ProvenanceSchema),
  },
  annotations: READ_ONLY,
  async run(ctx, args) {
    const one = args.device === undefined ? null : await ctx.store.device(args.device);
    const answers =
      one === null
        ? (await ctx.domains.readMany(await ctx.store.listDevices(), "ups", "never")).filter(
            (a) => a.data !== null,
          )
        : [await ctx.domains.read(one, "ups")];
    const devices: z.infer<typeof DeviceSchema>[] = [];
    const units: Unit[] = [];
    for (const answer of answers) {
      const data: UpsData = requireData(answer, "UPS status");
      const device = answer.device.hostname;
      if (!data.upsc.ok) {
        devices.push({ device, status: "failed", units: 0, error: data.upsc.error, ...noItems });
        continue;
      }
      devices.push({
        device,
        status: "ok",
        units: data.upsc.value.length,
        error: null,
        item_errors: data.upsc.item_errors ?? [],
        item_errors_dropped: data.upsc.item_errors_dropped ?? 0,
      });
      units.push(...data.upsc.value.map((u) => unitOf(device, u)));
    }
    units.sort(
      (a, b) => rank(a) - rank(b) || a.device.localeCompare(b.device) || a.name.localeCompare(b.name),
    );
    const summary = {
      units: units.length,
      on_battery: units.filter((u) => statusFlags(u.status).has("OB")).length,
      critical: units.filter((u) => u.problems.some((p) => p.severity === "critical")).length,
    };
    const provenance = answers.map((a) => a.provenance);
    const unreadable = describeUnreadable(
      devices.map((d) => ({ errors: d.item_errors, dropped: d.item_errors_dropped, prefix: `${d.device} ` })),
      ["UPS", "UPS units"],
    );
    const lines = [
      `${summary.units} UPS units on ${devices.length} device(s): ${summary.on_battery} on battery, ${summary.critical} critical.`,
      ...provenance.map(describeProvenance),
      ...devices
        .filter((d) => d.error !== null)
        .map((d) => `${d.device}: upsc FAILED: ${d.error?.code}: ${d.error?.message}`),
      ...(unreadable === null ? [] : [unreadable]),
      ...units.map(unitLine),
    ];
    return { structured: { summary, devices, units, provenance }, text: lines.join("\n") };
  },
});

const noItems = { item_errors: [], item_errors_dropped: 0 };

function unitOf(device: string, u: Ups): Unit {
  const words = [...statusFlags(u.status)].map((f) => STATUS_WORDS[f]);
  return { device, ...u, status_words: words, problems: upsProblems(u) };
}

/** Critical first, then on battery, then the rest. */
function rank(u: Unit): number {
  if (u.problems.some((p) => p.severity === "critical")) return 0;
  return u.problems.length > 0 ? 1 : 2;
}

function unitLine(u: Unit): string {
  const parts = [
    u.status_words.join(", ") || u.status,
    u.battery_charge_pct === null ? null : `battery ${u.battery_charge_pct}%`,
    u.battery_runtime_s === null ? null : `runtime ${formatAge(u.battery_runtime_s)}`,
    u.load_pct === null ? null : `load ${u.load_pct}%`,
    u.input_voltage_v === null ? null : `in ${u.input_voltage_v} V`,
    u.temperature_c === null ? null : `${u.temperature_c} °C`,
    u.alarm === null ? null : `alarm: ${u.alarm}`,
  ].filter((p) => p !== null);
  const what = [u.mfr, u.model].filter(Boolean).join(" ");
  return `- ${u.device}/${u.name}${what ? ` (${what})` : ""}: ${parts.join(", ")}`;
}
