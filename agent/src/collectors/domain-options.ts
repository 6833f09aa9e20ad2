import { backupsOptions } from "@infrastructor/domains/backups/agent/options.ts";
import { dockerOptions } from "@infrastructor/domains/docker/agent/options.ts";
import { logsOptions } from "@infrastructor/domains/logs/agent/options.ts";
import { smartOptions } from "@infrastructor/domains/smart/agent/options.ts";
import { zfsOptions } from "@infrastructor/domains/zfs/agent/options.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";
import { z } from "zod";

/**
 * Settings of one domain beyond `enabled` and `interval_s`, e.g. the docker socket's path. A domain
 * declares them in its own folder (collectors/<domain>/options.ts) and adds one line to DOMAIN_OPTIONS.
 * `env` lists the variables that override a key, like the agent's other settings.
 */
export interface DomainOptionsSpec<S extends z.ZodObject = z.ZodObject> {
  /** A strict object whose every key has a default: an absent section means "the defaults". */
  schema: S;
  env: readonly { env: string; key: string; kind: "string" | "number" | "boolean" }[];
}

const NONE: DomainOptionsSpec = { schema: z.strictObject({}), env: [] };

export const DOMAIN_OPTIONS: { readonly [D in Domain]?: DomainOptionsSpec } = {
  docker: dockerOptions,
  smart: smartOptions,
  zfs: zfsOptions,
  backups: backupsOptions,
  logs: logsOptions,
};

export function optionsSpec(domain: Domain): DomainOptionsSpec {
  return DOMAIN_OPTIONS[domain] ?? NONE;
}

/** The parsed options of a domain, typed by its spec. */
export type DomainOptions<D extends Domain> =
  (typeof DOMAIN_OPTIONS)[D] extends DomainOptionsSpec<infer S> ? z.infer<S> : Record<string, never>;
