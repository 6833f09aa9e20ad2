import {
  ItemErrorSchema,
  MAX_ITEM_ERRORS,
  TruncatedSchema,
} from "@infrastructor/shared/schemas/source-result.ts";
import { z } from "zod";

/**
 * The `updates` domain: pending package updates from the host's package manager, whether a reboot is
 * required, and whether running containers have a newer image for their tag present locally.
 * A source that fails (timeout, error exit) is data: `{ ok: false, error }`, beside what did work.
 */
const text = (max: number): z.ZodString => z.string().max(max);

export const PackageManagerSchema = z.enum(["apt", "dnf", "pacman", "apk"]);
export type PackageManager = z.infer<typeof PackageManagerSchema>;

/** Only apt says which updates come from a security suite; the others cannot tell ("unknown"). */
export const UpdateKindSchema = z.enum(["security", "regular", "unknown"]);
export type UpdateKind = z.infer<typeof UpdateKindSchema>;

export const PendingUpdateSchema = z.object({
  name: z.string().min(1).max(255),
  /** Empty when the tool does not say (pacman, apk list). */
  arch: text(64),
  /** Empty when the tool does not say (dnf check-update lists only the new version). */
  current_version: text(255),
  available_version: z.string().min(1).max(255),
  /** Suite(s) or repository the update comes from; empty when unknown. */
  repository: text(255),
  kind: UpdateKindSchema,
});
export type PendingUpdate = z.infer<typeof PendingUpdateSchema>;

export const SourceErrorSchema = z.object({
  code: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/),
  message: z.string().max(1000),
});

/**
 * `item_errors`: listing lines that could not be read, beside the packages that could (at most
 * MAX_ITEM_ERRORS, the rest counted in `item_errors_dropped`); absent when every line was read, and in
 * messages of older agents.
 */
export const PendingResultSchema = z.discriminatedUnion("ok", [
  z.object({
    ok: z.literal(true),
    packages: z.array(PendingUpdateSchema).max(10_000),
    item_errors: z.array(ItemErrorSchema).max(MAX_ITEM_ERRORS).optional(),
    item_errors_dropped: TruncatedSchema.optional(),
  }),
  z.object({ ok: z.literal(false), error: SourceErrorSchema }),
]);
export type PendingResult = z.infer<typeof PendingResultSchema>;

export const RebootSchema = z.object({
  /** "unknown": the host's distribution has no reboot-required marker we can read. */
  required: z.enum(["yes", "no", "unknown"]),
  /** From /var/run/reboot-required.pkgs: the packages that asked for it. */
  packages: z.array(z.string().min(1).max(255)).max(1000),
});
export type Reboot = z.infer<typeof RebootSchema>;

/**
 * A running container whose tag now names another image than the one it runs: the image was pulled
 * (or built) again, the container not recreated. Compared on local image ids only; nothing is pulled.
 */
export const ContainerImageSchema = z.object({
  container: z.string().min(1).max(255),
  image: text(512),
  running_image_id: z.string().max(128).nullable(),
  newer_image_present: z.enum(["yes", "no"]),
});
export type ContainerImage = z.infer<typeof ContainerImageSchema>;

export const ContainerImagesResultSchema = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), containers: z.array(ContainerImageSchema).max(2000) }),
  z.object({ ok: z.literal(false), error: SourceErrorSchema }),
]);
export type ContainerImagesResult = z.infer<typeof ContainerImagesResultSchema>;

export const UpdatesDataSchema = z.object({
  manager: PackageManagerSchema,
  pending: PendingResultSchema,
  reboot: RebootSchema,
  /** Absent when the host has no Docker API (no socket): containers are then not part of its updates. */
  container_images: ContainerImagesResultSchema.optional(),
});
export type UpdatesData = z.infer<typeof UpdatesDataSchema>;
