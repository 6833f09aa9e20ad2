import type { Envelope } from "@infrastructor/shared/envelope.ts";
import type { Sql } from "postgres";
import { SYSTEM_ROWS_PER_ENVELOPE, systemEnvelope } from "./envelopes.ts";

/** `hosts` × `perHost` system envelopes, 15 s apart per host, interleaved the way a fleet publishes. */
export function fleetEnvelopes(hosts: number, perHost: number, startMs: number, prefix = "node"): Envelope[] {
  const out: Envelope[] = [];
  for (let seq = 0; seq < perHost; seq++) {
    for (let h = 0; h < hosts; h++) out.push(systemEnvelope(`${prefix}${h}`, seq, startMs + seq * 15_000));
  }
  return out;
}

export interface TableCounts {
  system_metrics: number;
  disk_usage: number;
  disk_io: number;
  network_io: number;
  temperatures: number;
}

export function expectedCounts(envelopes: number): TableCounts {
  return {
    system_metrics: envelopes,
    disk_usage: envelopes * 3,
    disk_io: envelopes * 2,
    network_io: envelopes * 2,
    temperatures: envelopes * 3,
  };
}
export const ROWS_PER_ENVELOPE = SYSTEM_ROWS_PER_ENVELOPE;

export async function tableCounts(sql: Sql): Promise<TableCounts> {
  const [row] = await sql`
    SELECT (SELECT count(*) FROM system_metrics)::int AS system_metrics,
           (SELECT count(*) FROM disk_usage)::int AS disk_usage,
           (SELECT count(*) FROM disk_io)::int AS disk_io,
           (SELECT count(*) FROM network_io)::int AS network_io,
           (SELECT count(*) FROM temperatures)::int AS temperatures`;
  return row as unknown as TableCounts;
}

/**
 * Every (host, sample time) that was sent, checked one by one: which are missing, and which hosts have
 * more samples than were sent. The primary keys already forbid duplicate rows; this proves completeness.
 */
export async function missingSamples(sql: Sql, envelopes: Envelope[]): Promise<string[]> {
  const rows = await sql<{ hostname: string; time: Date }[]>`
    SELECT d.hostname, m.time FROM system_metrics m JOIN devices d ON d.id = m.device_id`;
  const have = new Set(rows.map((r) => `${r.hostname}@${r.time.toISOString()}`));
  return envelopes.map((e) => `${e.host}@${e.collected_at}`).filter((key) => !have.has(key));
}
