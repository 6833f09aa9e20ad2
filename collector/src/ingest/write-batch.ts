import type { SystemData } from "@infrastructor/shared/schemas/system.ts";
import type { Sql, TransactionSql } from "postgres";
import { copyIn } from "../db/copy-in.ts";
import type { Accepted } from "./decode.ts";
import type { DeviceRegistry } from "./device-registry.ts";
import { RowBuffers } from "./row-buffers.ts";
import { addSystemRows } from "./system-rows.ts";
import { copyStatement, type TimeSeriesTable } from "./tables.ts";

export interface RejectRecord {
  subject: string;
  reason: string;
  detail: string;
  /** JetStream stream sequence: a redelivered reject is stored once. */
  streamSeq: number | null;
  /** Size of the message as received; `payload` may be cut to the size limit. */
  payloadBytes: number;
  payload: Uint8Array;
}

export interface BatchInput {
  accepted: Accepted[];
  rejects: RejectRecord[];
}

export interface WriteResult {
  rows: number;
  /** "copy": straight COPY into the tables; "merge": redelivered rows were present, merged with ON CONFLICT. */
  mode: "copy" | "merge";
  /** Earliest sample time written (ms), Infinity when none: where the rollup refresh must start. */
  earliestMs: number;
}

/**
 * Writes one batch in one transaction. The fast path COPYs straight into the tables; when a row is
 * already there (a redelivery after a crash between commit and ack) the unique key refuses it, the
 * transaction rolls back, and the batch is written again through a staging table with ON CONFLICT DO
 * NOTHING. Redeliveries are rare, so nearly every batch costs a plain COPY.
 */
export async function writeBatch(sql: Sql, devices: DeviceRegistry, batch: BatchInput): Promise<WriteResult> {
  const ids = await devices.resolve(batch.accepted.map((a) => a.envelope.host));
  const buffers = new RowBuffers();
  for (const item of batch.accepted) {
    if (item.domain === "system" && item.envelope.data !== null) {
      addSystemRows(
        buffers,
        idOf(ids, item.envelope.host),
        item.collectedAt,
        item.envelope.data as SystemData,
      );
    }
  }
  try {
    await sql.begin((tx) => writeAll(tx, buffers, batch, ids, "copy"));
    return { rows: buffers.rowCount(), mode: "copy", earliestMs: buffers.earliestMs };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  await sql.begin((tx) => writeAll(tx, buffers, batch, ids, "merge"));
  return { rows: buffers.rowCount(), mode: "merge", earliestMs: buffers.earliestMs };
}

async function writeAll(
  tx: TransactionSql,
  buffers: RowBuffers,
  batch: BatchInput,
  ids: Map<string, number>,
  mode: "copy" | "merge",
): Promise<void> {
  for (const table of buffers.tables()) {
    if (mode === "copy") await copyIn(tx, copyStatement(table), buffers.copyText(table));
    else await mergeIn(tx, table, buffers.copyText(table));
  }
  await updateDevices(tx, batch.accepted, ids);
  await upsertLatestState(tx, batch.accepted, ids);
  await insertRejects(tx, batch.rejects);
}

async function mergeIn(tx: TransactionSql, table: TimeSeriesTable, text: string): Promise<void> {
  const stage = `ingest_stage_${table}`;
  await tx.unsafe(`CREATE TEMP TABLE ${stage} (LIKE ${table}) ON COMMIT DROP`);
  await copyIn(tx, copyStatement(table, stage), text);
  await tx.unsafe(`INSERT INTO ${table} SELECT * FROM ${stage} ON CONFLICT DO NOTHING`);
}

/** last_seen moves forward only; a replayed old sample never makes a device look older. */
async function updateDevices(
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
 * The newest envelope per device and domain. An envelope whose collection failed as a whole
 * (data: null) updates only the errors, so the last good payload and its time stay readable.
 */
async function upsertLatestState(
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
  const withData = sorted.filter((a) => a.envelope.data !== null);
  const failed = sorted.filter((a) => a.envelope.data === null);
  if (withData.length > 0) {
    await tx`
      INSERT INTO latest_state (device_id, domain, collected_at, boot_id, seq, payload, errors)
      SELECT * FROM unnest(
        ${withData.map((a) => idOf(ids, a.envelope.host))}::int[],
        ${withData.map((a) => a.domain)}::text[],
        ${withData.map((a) => a.envelope.collected_at)}::timestamptz[],
        ${withData.map((a) => a.envelope.boot_id)}::text[],
        ${withData.map((a) => a.envelope.seq)}::int8[],
        ${withData.map((a) => JSON.stringify(a.envelope.data))}::text[]::jsonb[],
        ${withData.map((a) => JSON.stringify(a.envelope.errors))}::text[]::jsonb[]
      )
      ON CONFLICT (device_id, domain) DO UPDATE SET
        collected_at = EXCLUDED.collected_at, received_at = now(), boot_id = EXCLUDED.boot_id,
        seq = EXCLUDED.seq, payload = EXCLUDED.payload, errors = EXCLUDED.errors
      WHERE latest_state.collected_at <= EXCLUDED.collected_at`;
  }
  if (failed.length > 0) {
    await tx`
      INSERT INTO latest_state (device_id, domain, collected_at, boot_id, seq, payload, errors)
      SELECT v.device_id, v.domain, v.collected_at, v.boot_id, v.seq, 'null'::jsonb, v.errors FROM unnest(
        ${failed.map((a) => idOf(ids, a.envelope.host))}::int[],
        ${failed.map((a) => a.domain)}::text[],
        ${failed.map((a) => a.envelope.collected_at)}::timestamptz[],
        ${failed.map((a) => a.envelope.boot_id)}::text[],
        ${failed.map((a) => a.envelope.seq)}::int8[],
        ${failed.map((a) => JSON.stringify(a.envelope.errors))}::text[]::jsonb[]
      ) AS v(device_id, domain, collected_at, boot_id, seq, errors)
      ON CONFLICT (device_id, domain) DO UPDATE SET errors = EXCLUDED.errors, received_at = now()`;
  }
}

async function insertRejects(tx: TransactionSql, rejects: RejectRecord[]): Promise<void> {
  for (const r of rejects) {
    await tx`
      INSERT INTO ingest_rejects (subject, reason, detail, stream_seq, payload_bytes, payload)
      VALUES (${r.subject}, ${r.reason}, ${r.detail}, ${r.streamSeq}, ${r.payloadBytes}, ${Buffer.from(r.payload)})
      ON CONFLICT (stream_seq) DO NOTHING`;
  }
}

function idOf(ids: Map<string, number>, host: string): number {
  const id = ids.get(host);
  if (id === undefined) throw new Error(`no device id resolved for ${host}`);
  return id;
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && "code" in err && err.code === "23505";
}
