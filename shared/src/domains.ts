import { backupsDomain } from "@infrastructor/domains/backups/domain.ts";
import { dockerDomain } from "@infrastructor/domains/docker/domain.ts";
import { inventoryDomain } from "@infrastructor/domains/inventory/domain.ts";
import { logsDomain } from "@infrastructor/domains/logs/domain.ts";
import { networkDomain } from "@infrastructor/domains/network/domain.ts";
import { smartDomain } from "@infrastructor/domains/smart/domain.ts";
import { systemDomain } from "@infrastructor/domains/system/domain.ts";
import { updatesDomain } from "@infrastructor/domains/updates/domain.ts";
import { upsDomain } from "@infrastructor/domains/ups/domain.ts";
import { vmsDomain } from "@infrastructor/domains/vms/domain.ts";
import { zfsDomain } from "@infrastructor/domains/zfs/domain.ts";
import type { z } from "zod";

/**
 * Every telemetry domain, one line each (shared/domains/<domain>/domain.ts). The collector rejects a
 * domain not listed here, so a new domain lands here first, then in the agent and server registries
 * (shared/domains/agent.ts, shared/domains/server.ts).
 */
export const DOMAINS = {
  system: systemDomain,
  smart: smartDomain,
  docker: dockerDomain,
  zfs: zfsDomain,
  backups: backupsDomain,
  inventory: inventoryDomain,
  network: networkDomain,
  vms: vmsDomain,
  updates: updatesDomain,
  logs: logsDomain,
  ups: upsDomain,
} as const;

export type Domain = keyof typeof DOMAINS;

/** Each domain's data schema, by name. */
export const DomainSchemas: { readonly [D in Domain]: (typeof DOMAINS)[D]["schema"] } = Object.fromEntries(
  Object.entries(DOMAINS).map(([name, spec]) => [name, spec.schema]),
) as { readonly [D in Domain]: (typeof DOMAINS)[D]["schema"] };

export type DomainData<D extends Domain> = z.infer<(typeof DOMAINS)[D]["schema"]>;

export function isKnownDomain(domain: string): domain is Domain {
  return Object.hasOwn(DOMAINS, domain);
}
