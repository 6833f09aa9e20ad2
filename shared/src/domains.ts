import { BackupsDataSchema } from "@infrastructor/domains/backups/schema.ts";
import { DockerDataSchema } from "@infrastructor/domains/docker/schema.ts";
import { InventoryDataSchema } from "@infrastructor/domains/inventory/schema.ts";
import { LogsDataSchema } from "@infrastructor/domains/logs/schema.ts";
import { NetworkDataSchema } from "@infrastructor/domains/network/schema.ts";
import { SmartDataSchema } from "@infrastructor/domains/smart/schema.ts";
import { SystemDataSchema } from "@infrastructor/domains/system/schema.ts";
import { UpdatesDataSchema } from "@infrastructor/domains/updates/schema.ts";
import { VmsDataSchema } from "@infrastructor/domains/vms/schema.ts";
import { ZfsDataSchema } from "@infrastructor/domains/zfs/schema.ts";
import type { z } from "zod";

/**
 * Every telemetry domain and the schema of its `data`. The collector rejects a domain not listed here,
 * so a new domain lands here first, then in the agent and the collector's writers.
 */
export const DomainSchemas = {
  system: SystemDataSchema,
  smart: SmartDataSchema,
  docker: DockerDataSchema,
  zfs: ZfsDataSchema,
  backups: BackupsDataSchema,
  inventory: InventoryDataSchema,
  network: NetworkDataSchema,
  vms: VmsDataSchema,
  updates: UpdatesDataSchema,
  logs: LogsDataSchema,
} as const satisfies Record<string, z.ZodType>;

export type Domain = keyof typeof DomainSchemas;
export type DomainData<D extends Domain> = z.infer<(typeof DomainSchemas)[D]>;

export function isKnownDomain(domain: string): domain is Domain {
  return Object.hasOwn(DomainSchemas, domain);
}
