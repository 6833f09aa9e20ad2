import { backupsWriter } from "@infrastructor/domains/backups/server/writer.ts";
import { dockerWriter } from "@infrastructor/domains/docker/server/writer.ts";
import { inventoryWriter } from "@infrastructor/domains/inventory/server/writer.ts";
import { logsWriter } from "@infrastructor/domains/logs/server/writer.ts";
import { networkWriter } from "@infrastructor/domains/network/server/writer.ts";
import { smartWriter } from "@infrastructor/domains/smart/server/writer.ts";
import { systemWriter } from "@infrastructor/domains/system/server/writer.ts";
import { updatesWriter } from "@infrastructor/domains/updates/server/writer.ts";
import { vmsWriter } from "@infrastructor/domains/vms/server/writer.ts";
import { zfsWriter } from "@infrastructor/domains/zfs/server/writer.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";
import type { DomainWriter, TimeSeriesTableSpec } from "./domain-writer.ts";

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
