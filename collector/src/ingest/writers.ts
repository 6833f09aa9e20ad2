import type { Domain } from "@infrastructor/shared/domains.ts";
import type { DomainWriter, TimeSeriesTableSpec } from "./domain-writer.ts";
import { backupsWriter } from "./domains/backups.ts";
import { dockerWriter } from "./domains/docker.ts";
import { inventoryWriter } from "./domains/inventory.ts";
import { logsWriter } from "./domains/logs.ts";
import { networkWriter } from "./domains/network.ts";
import { smartWriter } from "./domains/smart.ts";
import { systemWriter } from "./domains/system.ts";
import { updatesWriter } from "./domains/updates.ts";
import { vmsWriter } from "./domains/vms.ts";
import { zfsWriter } from "./domains/zfs.ts";

/**
 * Every domain's writer. A domain without one is still accepted (latest_state keeps its payload)
 * but writes no table of its own. A new domain adds one line here.
 */
export const WRITERS: { readonly [D in Domain]?: DomainWriter<D> } = {
  system: systemWriter,
  docker: dockerWriter,
  smart: smartWriter,
  zfs: zfsWriter,
  backups: backupsWriter,
  updates: updatesWriter,
  logs: logsWriter,
  inventory: inventoryWriter,
  network: networkWriter,
  vms: vmsWriter,
};

/** All time-series tables, in one fixed order: concurrent batches lock them in the same order. */
export const TIME_SERIES_TABLES: readonly TimeSeriesTableSpec[] = Object.values(WRITERS).flatMap(
  (writer) => (writer as DomainWriter).tables,
);

export function writerFor(domain: Domain): DomainWriter | undefined {
  return WRITERS[domain] as DomainWriter | undefined;
}
