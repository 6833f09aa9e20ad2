import type { Envelope } from "@infrastructor/shared/envelope.ts";
import { messageId, telemetrySubject } from "@infrastructor/shared/subjects.ts";
import type { JetStreamClient, PubAck } from "nats";

const encoder = new TextEncoder();

/** Publishes envelopes as an agent does (subject, Nats-Msg-Id), keeping up to `inFlight` acks pending. */
export async function publishEnvelopes(
  js: JetStreamClient,
  envelopes: Envelope[],
  inFlight = 500,
): Promise<PubAck[]> {
  const acks: PubAck[] = [];
  let pending: Promise<PubAck>[] = [];
  for (const e of envelopes) {
    pending.push(
      js.publish(telemetrySubject(e.host, e.domain), encoder.encode(JSON.stringify(e)), {
        msgID: messageId(e.host, e.domain, e.boot_id, e.seq),
      }),
    );
    if (pending.length >= inFlight) {
      acks.push(...(await Promise.all(pending)));
      pending = [];
    }
  }
  acks.push(...(await Promise.all(pending)));
  return acks;
}

/** Publishes raw bytes on a subject (for malformed input). */
export async function publishRaw(
  js: JetStreamClient,
  subject: string,
  payload: Uint8Array | string,
): Promise<PubAck> {
  return await js.publish(subject, typeof payload === "string" ? encoder.encode(payload) : payload);
}
