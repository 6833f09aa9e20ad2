import type { TransactionSql } from "postgres";
import type { Accepted } from "./decode.ts";

/**
 * The two "latest" views the ingest maintains besides the time series: devices.first_seen/last_seen/
 * agent_version and latest_state (the newest payload per device and domain, the MCP fast path).
 * Both only move forward, so writing them again (a redelivery) or late (a replay) is harmless.
 * Rows are sorted by key: concurrent writers then lock in one order and cannot deadlock.
 */
/** last_seen moves forward only; a replayed old sample never makes a device look older. */
export async function updateDevices(
  tx: TransactionSql,
  accepted: Accepted[],
  ids: Map<string, number>,
): Promise<void> {
  const seen = new Map<number, { first: number; last: number; version: string }>();
  for (const item of accepted) {
    const id = idOf(ids, item.envelope.host);
    const t = item.collectedAt.getTime();
    const entry = seen.get(id);
    if (!entry) seen.set(id, { first: t, last: t, version: item.envelope.agent_version });
    else {
      if (t < entry.first) entry.first = t;
      if (t >= entry.last) {
        entry.last = t;
        entry.version = item.envelope.agent_version;
      }
    }
  }
  if (seen.size === 0) return;
  const rows = [...seen.entries()].sort((a, b) => a[0] - b[0]); // one lock order for concurrent writers
  await tx`
    UPDATE devices AS d SET
      first_seen = LEAST(d.first_seen, v.first_seen),
      agent_version = CASE WHEN d.last_seen IS NULL OR v.last_seen >= d.last_seen THEN v.agent_version ELSE d.agent_version END,
      last_seen = GREATEST(d.last_seen, v.last_seen)
    FROM unnest(
      ${rows.map(([id]) => id)}::int[],
      ${rows.map(([, e]) => new Date(e.first).toISOString())}::timestamptz[],
      ${rows.map(([, e]) => new Date(e.last).toISOString())}::timestamptz[],
      ${rows.map(([, e]) => e.version)}::text[]
    ) AS v(id, first_seen, last_seen, agent_version)
    WHERE d.id = v.id`;
}

/**
 * The newest envelope per device and domain. An envelope without data (the domain failed as a whole,
 * or is unavailable on the host) records that status and why, and keeps the last good payload and
 * its time readable.
 */
export async function upsertLatestState(
  tx: TransactionSql,
  accepted: Accepted[],
  ids: Map<string, number>,
): Promise<void> {
  const newest = new Map<string, Accepted>();
  for (const item of accepted) {
    const key = `${idOf(ids, item.envelope.host)}\u0000${item.domain}`;
    const current = newest.get(key);
    if (!current || item.collectedAt >= current.collectedAt) newest.set(key, item);
  }
  const sorted = [...newest.values()].sort(
    (a, b) => idOf(ids, a.envelope.host) - idOf(ids, b.envelope.host) || a.domain.localeCompare(b.domain),
  );
  if (sorted.length === 0) return;
  // One JSON document for the whole set: PostgreSQL parses it once, and the client does not escape
  // every 2 KiB payload into an array literal (measured: a third of the collector's time went there).
  const records = JSON.stringify(
    sorted.map((a) => {
      const { unavailable } = a.envelope;
      return {
        device_id: idOf(ids, a.envelope.host),
        domain: a.domain,
        collected_at: a.envelope.collected_at,
        boot_id: a.envelope.boot_id,
        seq: a.envelope.seq,
        payload: a.envelope.data,
        status: a.envelope.data !== null ? "ok" : unavailable ? "unavailable" : "failed",
        errors: unavailable
          ? [{ code: unavailable.code, message: unavailable.reason, source: a.domain }, ...a.envelope.errors]
          : a.envelope.errors,
      };
    }),
  );
  // Ordered by status_at (the envelope's time): a replayed older envelope never overwrites a newer one.
  await tx`
    WITH v AS (
      SELECT * FROM json_to_recordset(${records}::text::json) AS r(
        device_id int, domain text, collected_at timestamptz, boot_id text, seq bigint, payload jsonb,
        errors jsonb, status text)
    )
    INSERT INTO latest_state (device_id, domain, collected_at, boot_id, seq, payload, errors, status, status_at)
    SELECT device_id, domain, collected_at, boot_id, seq, coalesce(payload, 'null'::jsonb), errors, status,
           collected_at
    FROM v
    ON CONFLICT (device_id, domain) DO UPDATE SET
      -- a failed or unavailable domain keeps its last good payload and that payload's time
      collected_at = CASE WHEN EXCLUDED.status = 'ok' THEN EXCLUDED.collected_at ELSE latest_state.collected_at END,
      payload = CASE WHEN EXCLUDED.status = 'ok' THEN EXCLUDED.payload ELSE latest_state.payload END,
      boot_id = EXCLUDED.boot_id, seq = EXCLUDED.seq, errors = EXCLUDED.errors, status = EXCLUDED.status,
      status_at = EXCLUDED.status_at, received_at = now()
    WHERE latest_state.status_at <= EXCLUDED.status_at`;
}

function idOf(ids: Map<string, number>, host: string): number {
  const id = ids.get(host);
  if (id === undefined) throw new Error(`no device id resolved for ${host}`);
  return id;
}
