import { describePage, PageArgs, PageSchema, paginate } from "@infrastructor/mcp/answer/paginate.ts";
import { describeProvenance, ProvenanceSchema } from "@infrastructor/mcp/answer/provenance.ts";
import { DeviceArg } from "@infrastructor/mcp/args/names.ts";
import { requireData } from "@infrastructor/mcp/tools/common/domain-data.ts";
import { describeUnreadable, ItemErrorsSchema } from "@infrastructor/mcp/tools/common/item-errors.ts";
import { defineTool, READ_ONLY } from "@infrastructor/mcp/tools/tool.ts";
import { z } from "zod";
import { PackageManagerSchema, type PendingUpdate, type UpdatesData } from "../../schema.ts";

const PACKAGE_TYPES = [...PackageManagerSchema.options, "container"] as const;
const SourceError = z.object({ code: z.string(), message: z.string() });

const PackageSchema = z.object({
  name: z.string(),
  arch: z.string(),
  current_version: z.string(),
  available_version: z.string(),
  repository: z.string(),
  kind: z.enum(["security", "regular", "unknown"]).describe("only apt can tell security updates apart"),
});

const ContainerSchema = z.object({
  container: z.string(),
  image: z.string(),
  running_image_id: z.string().nullable(),
});

const KIND_RANK: Record<PendingUpdate["kind"], number> = { security: 0, unknown: 1, regular: 2 };

export const checkUpdates = defineTool({
  name: "check_updates",
  title: "Pending updates",
  description:
    "Pending package updates on a device from its package manager (apt, dnf, pacman or apk), security " +
    "updates counted and listed first, whether a reboot is required (and which packages asked for it), and " +
    "running containers whose image tag now names a newer image already pulled (recreate to update). " +
    "package_type keeps one source: the host's package manager, or container. Nothing is installed or pulled.",
  input: {
    device: DeviceArg,
    package_type: z
      .enum(PACKAGE_TYPES)
      .optional()
      .describe("apt, dnf, pacman, apk (the host's manager) or container (images); default both."),
    ...PageArgs,
  },
  output: {
    summary: z.object({
      manager: PackageManagerSchema,
      pending: z.number().nullable().describe("null when the package list could not be read"),
      security: z.number().nullable(),
      reboot_required: z.enum(["yes", "no", "unknown"]),
      containers_with_newer_image: z.number().nullable().describe("null without a Docker API on the host"),
    }),
    pending_error: SourceError.nullable().describe("why the package list could not be read"),
    reboot: z.object({ required: z.enum(["yes", "no", "unknown"]), packages: z.array(z.string()) }),
    packages: z.array(PackageSchema).describe("security first, then by name; empty when filtered out"),
    page: PageSchema,
    containers: z
      .object({
        checked: z.number(),
        newer_image_present: z.array(ContainerSchema),
        error: SourceError.nullable(),
      })
      .nullable()
      .describe("null when the host has no Docker API or the filter is a package manager"),
    note: z.string().nullable(),
    provenance: ProvenanceSchema,
    unreadable: ItemErrorsSchema,
  },
  annotations: READ_ONLY,
  async run(ctx, args) {
    const device = await ctx.store.device(args.device);
    const answer = await ctx.domains.read(device, "updates");
    const data = requireData(answer, "package updates");
    const type = args.package_type;
    const wantPackages = type === undefined || type === data.manager;
    const wantContainers = type === undefined || type === "container";
    const note =
      type !== undefined && type !== "container" && type !== data.manager
        ? `${device.hostname} uses ${data.manager}, not ${type}: no ${type} updates there`
        : null;

    const pending = data.pending.ok ? data.pending.packages : null;
    const sorted = [...(pending ?? [])].sort(
      (a, b) =>
        KIND_RANK[a.kind] - KIND_RANK[b.kind] || a.name.localeCompare(b.name) || a.arch.localeCompare(b.arch),
    );
    const { items, page } = paginate(wantPackages ? sorted : [], args);
    const images = data.container_images;
    const newer = images?.ok ? images.containers.filter((c) => c.newer_image_present === "yes") : [];
    const containers =
      images === undefined || !wantContainers
        ? null
        : {
            checked: images.ok ? images.containers.length : 0,
            newer_image_present: newer.map((c) => ({
              container: c.container,
              image: c.image,
              running_image_id: c.running_image_id,
            })),
            error: images.ok ? null : images.error,
          };
    const security = pending?.filter((p) => p.kind === "security") ?? null;
    const summary = {
      manager: data.manager,
      pending: pending?.length ?? null,
      security: security?.length ?? null,
      reboot_required: data.reboot.required,
      containers_with_newer_image: images?.ok ? newer.length : null,
    };
    const unreadable = data.pending.ok ? (data.pending.item_errors ?? []) : [];
    const unreadLine = describeUnreadable(
      [{ errors: unreadable, dropped: data.pending.ok ? data.pending.item_errors_dropped : undefined }],
      ["package line", "package lines"],
    );
    const lines = [
      `${device.hostname} (${data.manager}): ${pending === null ? "package list unreadable" : `${pending.length} pending, ${security?.length ?? 0} security`}; reboot required: ${data.reboot.required}${data.reboot.packages.length ? ` (${data.reboot.packages.join(", ")})` : ""}; ${containerWords(images)}.`,
      describeProvenance(answer.provenance),
      ...(note === null ? [] : [note]),
      ...(data.pending.ok
        ? []
        : [`pending failed: ${data.pending.error.code}: ${data.pending.error.message}`]),
      ...(unreadLine === null ? [] : [unreadLine]),
      ...(wantPackages ? [describePage(page, "packages")] : []),
      ...items.map(
        (p) =>
          `- ${p.kind === "security" ? "[security] " : ""}${p.name}${p.arch ? `:${p.arch}` : ""} ${p.current_version || "?"} -> ${p.available_version}${p.repository ? ` (${p.repository})` : ""}`,
      ),
      ...(containers?.newer_image_present ?? []).map(
        (c) => `- container ${c.container}: newer ${c.image} present`,
      ),
    ];
    return {
      structured: {
        summary,
        pending_error: data.pending.ok ? null : data.pending.error,
        reboot: data.reboot,
        packages: items,
        page,
        containers,
        note,
        provenance: answer.provenance,
        unreadable,
      },
      text: lines.join("\n"),
    };
  },
});

function containerWords(images: UpdatesData["container_images"]): string {
  if (images === undefined) return "no Docker API";
  if (!images.ok) return `container images unreadable (${images.error.code})`;
  const newer = images.containers.filter((c) => c.newer_image_present === "yes").length;
  return `${newer} of ${images.containers.length} running containers have a newer image`;
}
