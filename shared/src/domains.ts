import type { z } from "zod";
import { BackupsDataSchema } from "./schemas/backups.ts";
import { DockerDataSchema } from "./schemas/docker.ts";
import { InventoryDataSchema } from "./schemas/inventory.ts";
import { LogsDataSchema } from "./schemas/logs.ts";
import { NetworkDataSchema } from "./schemas/network.ts";
import { SmartDataSchema } from "./schemas/smart.ts";
import { SystemDataSchema } from "./schemas/system.ts";
import { UpdatesDataSchema } from "./schemas/updates.ts";
import { VmsDataSchema } from "./schemas/vms.ts";
import { ZfsDataSchema } from "./schemas/zfs.ts";

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
