import type { DomainWriter, StateItem } from "@infrastructor/collector/ingest/domain-writer.ts";
import { insertFromJson } from "@infrastructor/lib/db/recordset.ts";
import type { TransactionSql } from "postgres";
import { type NetworkRows, networkRows } from "./network-rows.ts";
import {
  listeningPorts,
  networkAddresses,
  networkInterfaces,
  networkNeighbours,
  networkPeers,
  networkRoutes,
} from "./tables.ts";

/** The per-device tables network_state guards; their columns and types come from the declarations. */
const REPLACED = [
  networkInterfaces,
  networkAddresses,
  networkRoutes,
  networkNeighbours,
  listeningPorts,
  networkPeers,
] as const;

/**
 * Network is current state only. network_state is upserted first, guarded by collected_at; only the
 * devices it actually wrote (the envelope is newer) get their rows replaced, table by table, and a
 * table whose source failed keeps its rows.
 */
export const networkWriter: DomainWriter<"network"> = {
  domain: "network",
  tables: [],
  rowCount: () => 0,
  addRows: () => {},
  writeState: writeNetworkState,
};

export async function writeNetworkState(tx: TransactionSql, items: StateItem<"network">[]): Promise<void> {
  if (items.length === 0) return;
  const rows = items.map((item) => networkRows(item.deviceId, item.collectedAt, item.data));
  const written = new Set(await upsertState(tx, rows));
  const fresh = rows.filter((r) => written.has(r.state.device_id as number));
  for (const table of REPLACED) {
    const replace = fresh.filter((r) => r[table.name] !== null);
    if (replace.length === 0) continue;
    const ids = replace.map((r) => r.state.device_id as number);
    await tx`DELETE FROM ${tx(table.name)} WHERE device_id = ANY(${ids}::int[])`;
    const records = replace.flatMap((r) => r[table.name] ?? []);
    if (records.length === 0) continue;
    // The statement's text is the declaration's names and types only; the rows travel as one parameter.
    await tx.unsafe(insertFromJson(table), [JSON.stringify(records)]);
  }
}

/** Returns the device ids whose state was written (new, or older than this envelope). */
async function upsertState(tx: TransactionSql, rows: NetworkRows[]): Promise<number[]> {
  const records = JSON.stringify(rows.map((r) => r.state));
  const written = await tx<{ device_id: number }[]>`
    INSERT INTO network_state AS s (device_id, collected_at, default_gateways, dns_servers, dns_search,
      dns_source, tailscale_backend_state, source_errors)
    SELECT device_id, collected_at, default_gateways, dns_servers, dns_search, dns_source,
      tailscale_backend_state, source_errors
    FROM json_to_recordset(${records}::text::json) AS v(device_id integer, collected_at timestamptz,
      default_gateways text[], dns_servers text[], dns_search text[], dns_source text,
      tailscale_backend_state text, source_errors jsonb)
    ORDER BY device_id
    ON CONFLICT (device_id) DO UPDATE SET
      collected_at = EXCLUDED.collected_at,
      default_gateways = COALESCE(EXCLUDED.default_gateways, s.default_gateways),
      dns_servers = COALESCE(EXCLUDED.dns_servers, s.dns_servers),
      dns_search = COALESCE(EXCLUDED.dns_search, s.dns_search),
      dns_source = COALESCE(EXCLUDED.dns_source, s.dns_source),
      tailscale_backend_state = EXCLUDED.tailscale_backend_state,
      source_errors = EXCLUDED.source_errors
    WHERE s.collected_at < EXCLUDED.collected_at
    RETURNING s.device_id`;
  return written.map((r) => r.device_id);
}
