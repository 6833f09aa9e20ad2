import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestNats } from "@infrastructor/lib/testing/servers.ts";
import { messageId, telemetrySubject } from "@infrastructor/shared/subjects.ts";
import { connect, type NatsConnection } from "nats";
import { testEnvelope } from "../../test/envelopes.ts";
import { createTestStream, readStream, waitFor } from "../../test/stream.ts";
import { createLogger } from "../logger.ts";
import { NatsLink } from "./nats-link.ts";
import { Publisher } from "./publisher.ts";
import { Spool } from "./spool.ts";
import { listSegments } from "./spool-files.ts";

let nats: Awaited<ReturnType<typeof startTestNats>>;
let nc: NatsConnection;
let dir: string;
const logger = createLogger("silent");

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connect({ servers: nats.url });
  await createTestStream(nc);
  dir = await mkdtemp(join(tmpdir(), "infra-publisher-"));
});
afterAll(async () => {
  await nc?.close();
  await nats?.destroy();
  await rm(dir, { recursive: true, force: true });
});

function startPublisher(spool: Spool): { link: NatsLink; publisher: Publisher } {
  const link = NatsLink.start({ servers: [nats.url], token: null, credsFile: null, logger });
  return { link, publisher: new Publisher({ link, spool, logger, ackTimeoutMs: 1_000 }) };
}

test("envelopes arrive with their Nats-Msg-Id, without touching the disk; a republish is a duplicate", async () => {
  const spoolDir = join(dir, "direct");
  const spool = Spool.open({ dir: spoolDir, maxBytes: 1024 ** 2 });
  const { link, publisher } = startPublisher(spool);
  await waitFor(() => link.connected, 5_000, "the link");
  const sent = [0, 1, 2].map((seq) => testEnvelope(seq, { host: "direct" }));
  for (const envelope of sent) publisher.submit(envelope);
  await waitFor(async () => (await readStream(nc, "direct")).length === 3, 5_000, "3 envelopes");
  expect(listSegments(spoolDir)).toEqual([]);

  const again = sent[1] ?? testEnvelope(1);
  const id = messageId(again.host, again.domain, again.boot_id, again.seq);
  const ack = await link.publish(telemetrySubject(again.host, again.domain), new Uint8Array(2), id, 1_000);
  expect(ack.duplicate).toBe(true);

  const stored = await readStream(nc, "direct");
  expect(stored.map((s) => s.envelope)).toEqual(sent);
  expect(stored.map((s) => s.msgId)).toEqual(sent.map((e) => messageId(e.host, e.domain, e.boot_id, e.seq)));
  expect(stored.map((s) => s.subject)).toEqual(sent.map(() => "infra.v1.direct.counter"));
  expect(publisher.stats()).toMatchObject({ published: 3, spooled: 0, inMemory: 0 });
  await publisher.close();
  await link.close();
});

test("a spool left by an earlier run is replayed in order and reports what it dropped", async () => {
  const spoolDir = join(dir, "left-over");
  const size = Buffer.byteLength(`${JSON.stringify(testEnvelope(0, { host: "leftover" }))}\n`);
  const earlier = Spool.open({ dir: spoolDir, maxBytes: size * 30, segmentBytes: size * 10 });
  for (let seq = 0; seq < 50; seq++) earlier.append(testEnvelope(seq, { host: "leftover" }));
  const dropped = earlier.dropped;
  expect(dropped).toBeGreaterThan(0);
  earlier.close();

  const spool = Spool.open({ dir: spoolDir, maxBytes: size * 30, segmentBytes: size * 10 });
  const { link, publisher } = startPublisher(spool);
  await waitFor(() => spool.isEmpty && spool.dropped === 0, 10_000, "the spool to drain");
  publisher.submit(testEnvelope(50, { host: "leftover" }));
  await waitFor(
    async () => (await readStream(nc, "leftover")).length === 51 - dropped,
    5_000,
    "all envelopes",
  );
  const stored = await readStream(nc, "leftover");
  expect(stored.map((s) => s.envelope.seq)).toEqual(
    Array.from({ length: 51 - dropped }, (_, i) => dropped + i),
  );
  expect(stored[0]?.envelope.errors).toEqual([
    expect.objectContaining({ code: "SPOOL_DROPPED", details: { dropped } }),
  ]);
  expect(stored.slice(1).every((s) => s.envelope.errors.length === 0)).toBe(true);
  await publisher.close();
  await link.close();
  expect(listSegments(spoolDir)).toEqual([]);
});

test("without a stream to take them, envelopes wait in the spool and go out once it exists", async () => {
  const jsm = await nc.jetstreamManager();
  await jsm.streams.delete("INFRA_TEST");
  const spool = Spool.open({ dir: join(dir, "no-stream"), maxBytes: 1024 ** 2 });
  const link = NatsLink.start({ servers: [nats.url], token: null, credsFile: null, logger });
  const publisher = new Publisher({
    link,
    spool,
    logger,
    ackTimeoutMs: 500,
    retryMinMs: 100,
    retryMaxMs: 200,
  });
  await waitFor(() => link.connected, 5_000, "the link");
  for (let seq = 0; seq < 5; seq++) publisher.submit(testEnvelope(seq, { host: "nostream" }));
  await waitFor(() => spool.size === 5, 5_000, "the envelopes to be spooled");
  await createTestStream(nc);
  await waitFor(() => spool.isEmpty, 5_000, "the spool to drain");
  expect((await readStream(nc, "nostream")).map((s) => s.envelope.seq)).toEqual([0, 1, 2, 3, 4]);
  await publisher.close();
  await link.close();
});
