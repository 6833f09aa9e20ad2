import type { DomainOptionsSpec } from "@infrastructor/agent/collectors/agent-domain.ts";
import { isDatasetName } from "@infrastructor/domains/zfs/agent/parse-zfs-list.ts";
import { z } from "zod";
import { PROBE_NAME } from "../schema.ts";

/**
 * Backup probes, in the agent's config file under `domains.backups.probes`. Secrets only by file path:
 * there is no key for a password, and a strict object refuses one. Values reach command lines as single
 * argv entries (never a shell), and are still held to patterns that cannot pass for an option.
 */
const absolutePath = z
  .string()
  .max(4096)
  .regex(/^\/[^\0\n]*$/, "must be an absolute path");
/** Goes into BORG_PASSCOMMAND, which borg splits like a shell would: no spaces or quotes. */
const plainPath = z
  .string()
  .max(4096)
  .regex(/^\/[A-Za-z0-9_./@+-]+$/, "must be an absolute path of letters, digits and _.@+-/ only");
const program = z
  .string()
  .max(4096)
  .regex(/^[A-Za-z0-9_./+-]+$/)
  .refine((p) => !p.startsWith("-"), "must not start with -");
/** A repository location (path, sftp:, s3:, rest:, ssh://...): one token, not an option. */
const repository = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^[^\s-][^\s]*$/, "must be one token that does not start with -");

const common = {
  name: z.string().regex(PROBE_NAME, "1-63 of A-Z a-z 0-9 _ . - (starting with a letter or digit)"),
  /** Older than this and the probe is `late`. */
  max_age_h: z
    .number()
    .positive()
    .max(24 * 366),
};

export const ProbeConfigSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("restic"),
    ...common,
    repository,
    password_file: absolutePath,
    restic_path: program.default("restic"),
    /** Only this host's snapshots (restic --host); unset: all of the repository's. */
    host: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,252}$/)
      .optional(),
  }),
  z.strictObject({
    kind: z.literal("borg"),
    ...common,
    repository,
    /** Unset for unencrypted repositories or keyfiles without a passphrase. */
    passphrase_file: plainPath.optional(),
    borg_path: program.default("borg"),
  }),
  z.strictObject({
    kind: z.literal("zfs_snapshot"),
    ...common,
    dataset: z.string().refine(isDatasetName, "must be a ZFS dataset name (pool/a/b)"),
  }),
  z.strictObject({ kind: z.literal("path"), ...common, path: absolutePath }),
]);
export type ProbeConfig = z.infer<typeof ProbeConfigSchema>;

export const backupsOptions = {
  schema: z.strictObject({
    probes: z
      .array(ProbeConfigSchema)
      .max(100)
      .refine(
        (probes) => new Set(probes.map((p) => p.name)).size === probes.length,
        "probe names must be unique",
      )
      .default([]),
    /** Bound on each probe's command (restic on a remote repository can take a while). */
    timeout_s: z.number().min(1).max(3600).default(120),
  }),
  env: [{ env: "INFRA_BACKUPS_TIMEOUT_S", key: "timeout_s", kind: "number" }],
} satisfies DomainOptionsSpec;
