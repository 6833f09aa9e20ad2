import { SUBJECT_WILDCARD } from "@infrastructor/shared/subjects.ts";
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  type JetStreamManager,
  nanos,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from "nats";

export interface StreamSettings {
  name: string;
  consumer: string;
  maxAgeMs: number;
  maxBytes: number;
  duplicateWindowMs: number;
  /** How long a delivered message may stay unacked before JetStream gives it to another collector. */
  ackWaitMs: number;
}

/** Delivered-but-unacked messages per consumer across all collectors sharing it. */
export const MAX_ACK_PENDING = 50_000;

/**
 * Bytes one collector asks JetStream for at once: well under nats-server's per-client pending limit
 * (max_pending, 64 MiB by default), so a flood of 1 MiB messages cannot get the collector cut off as
 * a slow consumer; still hundreds of ordinary (2 KiB) envelopes per pull.
 */
export const PULL_MAX_BYTES = 16 * 1024 ** 2;
/**
 * Largest message the stream stores. A pull never delivers a message bigger than its byte budget, so
 * a larger one would sit at the head of the consumer forever; the stream refuses it at publish instead.
 */
export const STREAM_MAX_MSG_BYTES = 8 * 1024 ** 2;

/**
 * Creates or updates the telemetry stream. File storage survives a NATS restart; the duplicate window
 * lets JetStream drop an agent's replayed message (same Nats-Msg-Id) before it costs a database write.
 * Two collectors starting together may both try to create it: the loser updates instead, which is also
 * how a stream made by an older collector gets the guards below (JetStream lets them be turned on, never
 * off again).
 *
 * Guards, in case anything ever reaches the JetStream API on a host's behalf (hosts have no way in; see
 * nats-auth/account-jwt.ts): no purge and no message delete through the API (only the limits here remove
 * data), and no `Nats-Rollup` header, with which one message would replace the whole stream.
 */
export async function ensureStream(jsm: JetStreamManager, s: StreamSettings): Promise<void> {
  const config: Partial<StreamConfig> & { name: string } = {
    name: s.name,
    subjects: [SUBJECT_WILDCARD],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(s.maxAgeMs),
    max_bytes: s.maxBytes,
    duplicate_window: nanos(s.duplicateWindowMs),
    max_msg_size: STREAM_MAX_MSG_BYTES,
    deny_purge: true,
    deny_delete: true,
    allow_rollup_hdrs: false,
  };
  try {
    await jsm.streams.add(config);
  } catch (err) {
    if (!/already in use|exists/i.test(String(err))) throw err;
    await jsm.streams.update(s.name, config);
  }
}

/** One durable pull consumer with explicit acks; every collector process pulls from the same one. */
export async function ensureConsumer(jsm: JetStreamManager, s: StreamSettings): Promise<void> {
  const config = {
    durable_name: s.consumer,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(s.ackWaitMs),
    max_ack_pending: MAX_ACK_PENDING,
    max_deliver: -1,
  };
  try {
    await jsm.consumers.add(s.name, config);
  } catch (err) {
    if (!/already in use|exists/i.test(String(err))) throw err;
    await jsm.consumers.update(s.name, s.consumer, {
      ack_wait: config.ack_wait,
      max_ack_pending: MAX_ACK_PENDING,
    });
  }
}
