import { classifyDbError } from "@infrastructor/shared/db/classify-db-error.ts";
import type { JsMsg } from "nats";
import type { Sql } from "postgres";
import type { Accepted } from "./decode.ts";
import type { DeviceRegistry } from "./device-registry.ts";
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
 * Writes a batch; when the database refuses it for its data (bad_data: a value out of a column's
 * range, a program limit), writes its messages one by one and moves those that still fail into the
 * batch's rejects with the database's reason, so a poison message never blocks the stream. A duplicate
 * is merged by writeBatch itself; a deadlock is tried once more; anything else is thrown to the caller.
 */
export async function writeIsolating(
  sql: Sql,
  devices: DeviceRegistry,
  batch: Pending,
  rejectOf: RejectOf,
): Promise<WriteResult> {
  try {
    return await writeBatch(sql, devices, batch);
  } catch (err) {
    const kind = classifyDbError(err);
    if (kind === "retry") return await writeBatch(sql, devices, batch);
    if (kind !== "bad_data") throw err;
  }
  const good: Accepted[] = [];
  const goodMsgs: JsMsg[] = [];
  const unstored: JsMsg[] = [];
  for (const [i, item] of batch.accepted.entries()) {
    const msg = batch.acceptedMsgs[i] as JsMsg;
    try {
      await writeBatch(sql, devices, { accepted: [item], rejects: [] });
      good.push(item);
      goodMsgs.push(msg);
    } catch (err) {
      if (classifyDbError(err) !== "bad_data") throw err;
      const reject = rejectOf(msg, String(err));
      if (reject === null) unstored.push(msg);
      else {
        batch.rejects.push(reject);
        batch.rejectMsgs.push(msg);
      }
    }
  }
  batch.accepted = good;
  batch.acceptedMsgs = goodMsgs;
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
