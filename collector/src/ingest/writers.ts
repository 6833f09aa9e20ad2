import { SERVER_DOMAINS } from "@infrastructor/domains/server.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";
import type { DomainWriter, TimeSeriesTableSpec } from "./domain-writer.ts";

/** Every domain's writer, as each domain's server half declares it (shared/domains/server.ts). */
export const WRITERS: { readonly [D in Domain]: DomainWriter<D> } = Object.fromEntries(
  Object.entries(SERVER_DOMAINS).map(([domain, server]) => [domain, server.writer]),
) as { readonly [D in Domain]: DomainWriter<D> };

/** All time-series tables, in one fixed order: concurrent batches lock them in the same order. */
export const TIME_SERIES_TABLES: readonly TimeSeriesTableSpec[] = Object.values(WRITERS).flatMap(
  (writer) => (writer as DomainWriter).tables,
);

export function writerFor(domain: Domain): DomainWriter | undefined {
  return WRITERS[domain] as DomainWriter | undefined;
}
