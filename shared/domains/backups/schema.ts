import {
  ItemErrorSchema,
  MAX_ITEM_ERRORS,
  SourceErrorSchema,
  TruncatedSchema,
} from "@infrastructor/shared/schemas/source-result.ts";
import { z } from "zod";

/**
 * The `backups` domain: one result per configured probe (restic repository, borg repository, ZFS
 * snapshots of a dataset, a file or directory that a backup job rewrites). `status` compares the age of
 * the newest backup with the probe's `max_age_h`: ok, late, or failed (the probe could not tell, or there
 * is no backup at all; `error` says why).
 */
export const PROBE_KINDS = ["restic", "borg", "zfs_snapshot", "path"] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

/** Probe names are config keys and table keys: short, printable, no spaces. */
export const PROBE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const ProbeResultSchema = z.object({
  name: z.string().regex(PROBE_NAME),
  kind: z.enum(PROBE_KINDS),
  status: z.enum(["ok", "late", "failed"]),
  max_age_h: z
    .number()
    .positive()
    .max(24 * 366),
  /** When the newest backup completed (restic: summary.backup_end, else its time). */
  last_success_at: z.iso.datetime({ offset: true }).nullable(),
  /** Seconds from last_success_at to the collection; 0 when the clocks disagree the other way. */
  age_s: z.number().finite().nonnegative().nullable(),
  /** Size of the newest backup where the tool says (restic summary, a snapshot's refer, a file's size). */
  size_bytes: count.nullable(),
  /** Snapshots or archives in the repository / of the dataset; null for a path. */
  item_count: count.nullable(),
  error: SourceErrorSchema.nullable(),
  /**
   * Snapshots or archives the listing held but that could not be read (not counted in item_count; the
   * newest readable one decides the status). Absent: none, and from older agents.
   */
  item_errors: z.array(ItemErrorSchema).max(MAX_ITEM_ERRORS).optional(),
  item_errors_dropped: TruncatedSchema.optional(),
});
export type ProbeResult = z.infer<typeof ProbeResultSchema>;

export const BackupsDataSchema = z.object({
  probes: z
    .array(ProbeResultSchema)
    .max(100)
    .refine(
      (probes) => new Set(probes.map((p) => p.name)).size === probes.length,
      "probe names must be unique",
    ),
});
export type BackupsData = z.infer<typeof BackupsDataSchema>;
