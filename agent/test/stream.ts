import { type Envelope, EnvelopeSchema } from "@infrastructor/shared/envelope.ts";
import { SUBJECT_WILDCARD } from "@infrastructor/shared/subjects.ts";
import type { NatsConnection } from "nats";

/** What a test reads back from the stream: the stored envelope and the id JetStream deduplicated on. */
export interface StoredEnvelope {
  streamSeq: number;
  subject: string;
  msgId: string | undefined;
  envelope: Envelope;
}

export const TEST_STREAM = "INFRA_TEST";

/** The stream the collector would create: everything under `infra.v1.>`. */
export async function createTestStream(nc: NatsConnection): Promise<void> {
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name: TEST_STREAM, subjects: [SUBJECT_WILDCARD] });
}

/** Every stored message on `infra.v1.<host>.>`, in stream order. */
export async function readStream(nc: NatsConnection, host: string): Promise<StoredEnvelope[]> {
  const jsm = await nc.jetstreamManager();
  const info = await jsm.streams.info(TEST_STREAM);
  const stored: StoredEnvelope[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const msg = await jsm.streams.getMessage(TEST_STREAM, { seq });
    if (!msg.subject.startsWith(`infra.v1.${host}.`)) continue;
    stored.push({
      streamSeq: msg.seq,
      subject: msg.subject,
      msgId: msg.header?.get("Nats-Msg-Id"),
      envelope: EnvelopeSchema.parse(msg.json()),
    });
  }
  return stored;
}

/** Polls `check` until it holds; a test's deadline, not a sleep. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await Bun.sleep(50);
  }
}
