import { classifyDbError } from "@infrastructor/lib/db/classify-db-error.ts";
import type { Sql, TransactionSql } from "postgres";
import { copyIn } from "../db/copy-in.ts";
import type { Accepted } from "./decode.ts";
import type { DeviceRegistry } from "./device-registry.ts";
import { copyStatement, type DomainWriter, type StateItem } from "./domain-writer.ts";
import { mergeIn } from "./merge-in.ts";
import { RowBuffers } from "./row-buffers.ts";
import { writerFor } from "./writers.ts";

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
  /** hostname -> devices.id for every accepted envelope of the batch. */
  ids: Map<string, number>;
}

/**
 * Writes one batch's time-series rows and rejects in one transaction (the latest state and the device
 * registry follow through LatestStateWriter). The fast path COPYs straight into the tables; when a row is
 * already there (a redelivery after a crash between commit and ack) the unique key refuses it, the
 * transaction rolls back, and the batch is written again through a staging table with ON CONFLICT DO
 * NOTHING, which checks its own row count (mergeIn: a silent short write throws ShortWriteError and
 * nothing commits). Redeliveries are rare, so nearly every batch costs a plain COPY.
 */
export async function writeBatch(sql: Sql, devices: DeviceRegistry, batch: BatchInput): Promise<WriteResult> {
  const ids = await devices.resolve(batch.accepted.map((a) => a.envelope.host));
  const buffers = new RowBuffers();
  const state = new Map<DomainWriter, Map<number, StateItem<never>>>();
  for (const item of batch.accepted) {
    const writer = writerFor(item.domain);
    const data = item.envelope.data;
    if (!writer || data === null) continue;
    const deviceId = idOf(ids, item.envelope.host);
    writer.addRows(buffers, deviceId, item.collectedAt, data as never);
    if (writer.writeState) {
      const perDevice = state.get(writer) ?? new Map<number, StateItem<never>>();
      state.set(writer, perDevice);
      const current = perDevice.get(deviceId);
      if (!current || item.collectedAt >= current.collectedAt) {
        perDevice.set(deviceId, { deviceId, collectedAt: item.collectedAt, data: data as never });
      }
    }
  }
  try {
    await sql.begin((tx) => writeAll(tx, buffers, state, batch, "copy"));
    return { rows: buffers.rowCount(), mode: "copy", earliestMs: buffers.earliestMs, ids };
  } catch (err) {
    if (classifyDbError(err) !== "duplicate") throw err;
  }
  await sql.begin((tx) => writeAll(tx, buffers, state, batch, "merge"));
  return { rows: buffers.rowCount(), mode: "merge", earliestMs: buffers.earliestMs, ids };
}

async function writeAll(
  tx: TransactionSql,
  buffers: RowBuffers,
  state: Map<DomainWriter, Map<number, StateItem<never>>>,
  batch: BatchInput,
  mode: "copy" | "merge",
): Promise<void> {
  for (const table of buffers.tables()) {
    if (mode === "copy") await copyIn(tx, copyStatement(table), buffers.copyData(table.name));
    else await mergeIn(tx, table, buffers.copyData(table.name));
  }
  for (const [writer, perDevice] of state) {
    const items = [...perDevice.values()].sort((a, b) => a.deviceId - b.deviceId);
    await writer.writeState?.(tx, items);
  }
  await insertRejects(tx, batch.rejects);
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
