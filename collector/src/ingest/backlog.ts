import type { Consumer, JetStreamManager } from "nats";

export interface Backlog {
  pending: number;
  ack_pending: number;
  redelivered: number;
  /**
   * Age in seconds of the oldest message not acked yet (delivered or not): how far behind the
   * database is. 0 when nothing waits; null when that message could not be read.
   */
  age_s: number | null;
}

/**
 * Reads the consumer's backlog. The oldest unacked message is the one after the ack floor (every
 * message at or below it is acked), or the stream's first when older ones aged out of the stream;
 * its stored time says how long it has waited.
 */
export async function readBacklog(
  jsm: JetStreamManager,
  consumer: Consumer,
  nowMs: number,
): Promise<Backlog> {
  const info = await consumer.info(false);
  const base = {
    pending: info.num_pending,
    ack_pending: info.num_ack_pending,
    redelivered: info.num_redelivered,
  };
  if (info.num_pending + info.num_ack_pending === 0) return { ...base, age_s: 0 };
  try {
    const stream = await jsm.streams.info(info.stream_name);
    const seq = Math.max(info.ack_floor.stream_seq + 1, stream.state.first_seq);
    const oldest = await jsm.streams.getMessage(info.stream_name, { seq });
    return { ...base, age_s: Math.max(0, Math.round((nowMs - oldest.time.getTime()) / 100) / 10) };
  } catch {
    return { ...base, age_s: null }; // the message went (aged out, deleted) between the two reads
  }
}
