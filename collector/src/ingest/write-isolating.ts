import { classifyDbError } from "@infrastructor/lib/db/classify-db-error.ts";
import type { JsMsg } from "nats";
import type { Sql } from "postgres";
import type { Accepted } from "./decode.ts";
import type { DeviceRegistry } from "./device-registry.ts";
import { ShortWriteError } from "./merge-in.ts";
import { type RejectRecord, type WriteResult, writeBatch } from "./write-batch.ts";

/** One batch as the pipeline holds it: the decoded envelopes and rejects with their messages. */
export interface Pending {
  accepted: Accepted[];
  acceptedMsgs: JsMsg[];
  rejects: RejectRecord[];
  rejectMsgs: JsMsg[];
  rows: number;
}

/** Builds the reject of a message the database refused, or null when the host's budget is spent. */
export type RejectOf = (msg: JsMsg, detail: string) => RejectRecord | null;

/**
 * A message that alone fails with an unexplained error (`internal`) while others of its batch are
 * stored is held back and retried; after this many deliveries it is rejected, so it cannot loop forever.
 */
export const INTERNAL_ERROR_MAX_DELIVERIES = 8;
/** How long such a held-back message waits before it is delivered again (INGEST_RETRY_MAX caps it). */
export const HELD_BACK_DELAY_MS = 5_000;

/**
 * Writes a batch; when the database refuses it for its data (bad_data: a value out of a column's
 * range, a program limit), writes its messages one by one and moves those that still fail into the
 * batch's rejects with the database's reason, so a poison message never blocks the stream. A duplicate
 * is merged by writeBatch itself; a deadlock is tried once more; an unreachable database is thrown to
 * the caller (an outage: everything waits).
 *
 * An unexplained failure (`internal`: no SQLSTATE we know, a bug) is split the same way, because only
 * that tells a message-specific failure from a systematic one: when no message of the batch can be
 * stored alone, the failure is the system's (a bad migration, a missing privilege) and the whole batch
 * is thrown back to be retried, never rejected; when others are stored, the failing ones are held back
 * (nak'ed) and rejected only after INTERNAL_ERROR_MAX_DELIVERIES.
 */
export async function writeIsolating(
  sql: Sql,
  devices: DeviceRegistry,
  batch: Pending,
  rejectOf: RejectOf,
  heldBackDelayMs: number = HELD_BACK_DELAY_MS,
): Promise<WriteResult> {
  let first: unknown;
  try {
    return await writeBatch(sql, devices, batch);
  } catch (err) {
    // The database lost rows without an error: no message is to blame, splitting would only hide it.
    if (err instanceof ShortWriteError) throw err;
    const kind = classifyDbError(err);
    if (kind === "retry") return await writeBatch(sql, devices, batch);
    if (kind !== "bad_data" && !(kind === "internal" && batch.accepted.length > 1)) throw err;
    first = err;
  }
  const good: Accepted[] = [];
  const goodMsgs: JsMsg[] = [];
  const unstored: JsMsg[] = [];
  const failedInternal: { msg: JsMsg; err: unknown }[] = [];
  for (const [i, item] of batch.accepted.entries()) {
    const msg = batch.acceptedMsgs[i] as JsMsg;
    try {
      await writeBatch(sql, devices, { accepted: [item], rejects: [] });
      good.push(item);
      goodMsgs.push(msg);
    } catch (err) {
      if (err instanceof ShortWriteError) throw err;
      const kind = classifyDbError(err);
      if (kind === "internal") {
        failedInternal.push({ msg, err });
        continue;
      }
      if (kind !== "bad_data") throw err;
      const reject = rejectOf(msg, String(err));
      if (reject === null) unstored.push(msg);
      else {
        batch.rejects.push(reject);
        batch.rejectMsgs.push(msg);
      }
    }
  }
  // Nothing could be stored alone: not the messages' fault. Retried whole, nothing rejected.
  if (good.length === 0 && failedInternal.length > 0) throw failedInternal[0]?.err ?? first;
  const heldBack: JsMsg[] = [];
  for (const { msg, err } of failedInternal) {
    if (msg.info.deliveryCount < INTERNAL_ERROR_MAX_DELIVERIES) {
      heldBack.push(msg);
      continue;
    }
    const reject = rejectOf(msg, `failed ${msg.info.deliveryCount} times alone: ${String(err)}`);
    if (reject === null) unstored.push(msg);
    else {
      batch.rejects.push(reject);
      batch.rejectMsgs.push(msg);
    }
  }
  batch.accepted = good;
  batch.acceptedMsgs = goodMsgs;
  // Neither acked nor rejected: delivered again later, alone or in another batch.
  for (const m of heldBack) m.nak(heldBackDelayMs);
  // the good ones are already committed; this writes the rejects, one by one if one is refused too
  const result = await writeRejects(sql, devices, batch);
  // past the host's budget: nothing to store, so nothing to wait for
  for (const m of unstored) m.term();
  const ids = await devices.resolve(good.map((a) => a.envelope.host));
  return { ...result, mode: "merge", ids };
}

/**
 * The rejects alone. Their text is cleaned when they are built, so the database should take them; if it
 * still refuses one, that one is stored as a bare record (subject, reason, size) rather than looping.
 */
export async function writeRejects(sql: Sql, devices: DeviceRegistry, batch: Pending): Promise<WriteResult> {
  try {
    return await writeBatch(sql, devices, { accepted: [], rejects: batch.rejects });
  } catch (err) {
    if (classifyDbError(err) !== "bad_data") throw err;
  }
  let result: WriteResult | null = null;
  for (const r of batch.rejects) {
    try {
      result = await writeBatch(sql, devices, { accepted: [], rejects: [r] });
    } catch (err) {
      if (classifyDbError(err) !== "bad_data") throw err;
      const bare = { ...r, subject: "(unstorable)", detail: `unstorable reject: ${codeText(err)}` };
      result = await writeBatch(sql, devices, {
        accepted: [],
        rejects: [{ ...bare, payload: new Uint8Array() }],
      });
    }
  }
  return result ?? { rows: 0, mode: "copy", earliestMs: Number.POSITIVE_INFINITY, ids: new Map() };
}

function codeText(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  return typeof code === "string" ? code : "no code";
}
