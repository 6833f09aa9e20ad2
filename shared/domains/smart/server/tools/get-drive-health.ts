import { describePage, PageArgs, PageSchema, paginate } from "@infrastructor/mcp/answer/paginate.ts";
import { describeProvenance, ProvenanceSchema } from "@infrastructor/mcp/answer/provenance.ts";
import { DeviceArg, DriveArg } from "@infrastructor/mcp/args/names.ts";
import { formatBytes, requireData } from "@infrastructor/mcp/tools/common/domain-data.ts";
import { describeUnreadable, ItemErrorsSchema } from "@infrastructor/mcp/tools/common/item-errors.ts";
import { defineTool, READ_ONLY } from "@infrastructor/mcp/tools/tool.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { z } from "zod";
import { DriveSchema, type DriveView, driveViews, matchDrive, sortDrives } from "./drive-health.ts";

export const getDriveHealth = defineTool({
  name: "get_drive_health",
  title: "Drive health (SMART)",
  description:
    "SMART health of a device's drives: per drive model, serial, capacity, temperature, power-on hours, a " +
    "verdict (failing, warning, ok) with its reasons, the key counters (reallocated, pending, uncorrectable " +
    "sectors, CRC errors; NVMe spare, wear and media errors) and what grew over the last 7 days. Failing " +
    "and warning drives come first; drives asleep are reported as standby (not woken), with their last " +
    "reading. `drive` narrows to one drive by name (sda), serial or model.",
  input: { device: DeviceArg, drive: DriveArg.optional(), ...PageArgs },
  output: {
    summary: z.object({
      drives: z.number(),
      failing: z.array(z.string()),
      warning: z.array(z.string()),
      ok: z.number(),
      standby: z.array(z.string()),
      unreadable: z.array(z.string()),
    }),
    provenance: ProvenanceSchema,
    smartctl_version: z.string().nullable(),
    drives: z.array(DriveSchema),
    page: PageSchema,
    unreadable: ItemErrorsSchema.describe(
      "scan entries, and parts of drives' readings (attribute rows, logs), that could not be read; named `drive:item`",
    ),
  },
  annotations: READ_ONLY,
  async run(ctx, args) {
    const device = await ctx.store.device(args.device);
    const answer = await ctx.domains.read(device, "smart");
    const data = requireData(answer);
    const observedAt = new Date(answer.provenance.observed_at ?? Date.now());
    let drives = sortDrives(await driveViews(ctx.store, device.id, data, observedAt));
    if (args.drive !== undefined) {
      const matched = matchDrive(drives, args.drive);
      if (matched.length === 0) {
        const known = drives.map((d) => [d.device, d.model, d.serial].filter(Boolean).join(" "));
        throw new AppError(
          ErrorCode.NOT_FOUND,
          `no drive "${args.drive}" on ${device.hostname}; its drives: ${known.join(", ") || "none"}`,
          { details: { device: device.hostname, drive: args.drive, known } },
        );
      }
      drives = matched;
    }
    const names = (pick: (d: DriveView) => boolean): string[] => drives.filter(pick).map((d) => d.device);
    const summary = {
      drives: drives.length,
      failing: names((d) => d.verdict === "failing"),
      warning: names((d) => d.verdict === "warning"),
      ok: drives.filter((d) => d.verdict === "ok").length,
      standby: names((d) => d.status === "standby"),
      unreadable: names((d) => d.status === "unreadable"),
    };
    const { items, page } = paginate(drives, args);
    const parts = data.drives.flatMap((d) =>
      d.ok && "reading" in d
        ? (d.reading.item_errors ?? []).map((e) => ({ ...e, name: `${d.device}:${e.name ?? "?"}` }))
        : [],
    );
    const unreadable = [...(data.item_errors ?? []), ...parts];
    const unreadLine = describeUnreadable([{ errors: unreadable }], ["item", "items"]);
    const head = [
      `${device.hostname}: ${summary.drives} drives: ${summary.failing.length} failing${list(summary.failing)}, ${summary.warning.length} warning${list(summary.warning)}, ${summary.ok} ok, ${summary.standby.length} standby, ${summary.unreadable.length} unreadable.`,
      describeProvenance(answer.provenance),
      ...(unreadLine === null ? [] : [unreadLine]),
      describePage(page, "drives"),
    ];
    return {
      structured: {
        summary,
        provenance: answer.provenance,
        smartctl_version: data.smartctl_version,
        drives: items,
        page,
        unreadable,
      },
      text: [...head, ...items.map(renderDrive)].join("\n"),
    };
  },
});

function list(names: string[]): string {
  return names.length > 0 ? ` (${names.join(", ")})` : "";
}

function renderDrive(d: DriveView): string {
  const what = [d.model, d.serial && `s/n ${d.serial}`, d.capacity_bytes && formatBytes(d.capacity_bytes)]
    .filter(Boolean)
    .join(", ");
  const state =
    d.status === "active"
      ? `${(d.verdict ?? "?").toUpperCase()}${d.severity === null ? "" : ` (${d.severity})`}`
      : d.status.toUpperCase();
  const facts = [
    d.temperature_c !== null ? `${d.temperature_c} °C` : null,
    d.power_on_hours !== null ? `${d.power_on_hours} h on` : null,
  ].filter(Boolean);
  const reasons = d.reasons.length > 0 ? `\n    ${d.reasons.join("; ")}` : "";
  return `- ${d.device} ${state}: ${what || "unknown drive"}${facts.length ? `; ${facts.join(", ")}` : ""}${reasons}`;
}
