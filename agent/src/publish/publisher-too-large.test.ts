import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestNats } from "@infrastructor/lib/testing/servers.ts";
import type { Envelope } from "@infrastructor/shared/envelope.ts";
import { connect, type NatsConnection } from "nats";
import { testEnvelope } from "../../test/envelopes.ts";
import { createTestStream, readStream, waitFor } from "../../test/stream.ts";
import { createLogger } from "../logger.ts";
import { NatsLink } from "./nats-link.ts";
import { Publisher } from "./publisher.ts";
import { Spool } from "./spool.ts";
import { listSegments } from "./spool-files.ts";

// A nats-server with its DEFAULT max_payload (1 MiB): nothing in its configuration raises or lowers it.
let nats: Awaited<ReturnType<typeof startTestNats>>;
let nc: NatsConnection;
let dir: string;
const logger = createLogger("silent");
const WAIT_MS = 30_000;

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connect({ servers: nats.url });
  await createTestStream(nc);
  dir = await mkdtemp(join(tmpdir(), "infra-too-large-"));
});
afterAll(async () => {
  await nc?.close();
  await nats?.destroy();
  await rm(dir, { recursive: true, force: true });
});

/** An envelope whose JSON is about 2 MiB: twice what the server takes. */
function hugeEnvelope(seq: number, host: string): Envelope {
  return testEnvelope(seq, { host, data: { n: seq, blob: "x".repeat(2 * 1024 ** 2) } });
}

test("the server's max_payload is read from its INFO, not assumed", async () => {
  const link = NatsLink.start({ servers: [nats.url], token: null, credsFile: null, logger });
  await waitFor(() => link.connected, WAIT_MS, "the link");
  expect(link.maxPayload).toBe(nc.info?.max_payload ?? -1);
  expect(link.maxPayload).toBe(1024 ** 2);
  await link.close();
});

test("an envelope over max_payload goes out as PAYLOAD_TOO_LARGE with its seq; the ones after it still arrive", async () => {
  const spool = Spool.open({ dir: join(dir, "direct"), maxBytes: 64 * 1024 ** 2 });
  const link = NatsLink.start({ servers: [nats.url], token: null, credsFile: null, logger });
  const publisher = new Publisher({ link, spool, logger, ackTimeoutMs: 5_000 });
  await waitFor(() => link.connected, WAIT_MS, "the link");
  publisher.submit(testEnvelope(0, { host: "big" }));
  publisher.submit(hugeEnvelope(1, "big"));
  for (let seq = 2; seq < 10; seq++) publisher.submit(testEnvelope(seq, { host: "big" }));
  await waitFor(async () => (await readStream(nc, "big")).length === 10, WAIT_MS, "10 envelopes");

  const stored = (await readStream(nc, "big")).map((s) => s.envelope);
  expect(stored.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  expect(stored[1]?.data).toBeNull();
  expect(stored[1]?.errors).toEqual([
    expect.objectContaining({
      code: "PAYLOAD_TOO_LARGE",
      source: "publisher",
      details: expect.objectContaining({ limit_bytes: 1024 ** 2 - 1024 }),
    }),
  ]);
  expect((stored[1]?.errors[0]?.details?.bytes as number) > 2 * 1024 ** 2).toBe(true);
  expect(stored[9]?.data).toEqual({ n: 9 });
  expect(publisher.stats()).toMatchObject({ published: 10, tooLarge: 1, spooled: 0, inMemory: 0 });
  await publisher.close();
  await link.close();
});

test("a too-large envelope already in the spool does not block it: it drains, the big one as an error", async () => {
  const spoolDir = join(dir, "spooled");
  const earlier = Spool.open({ dir: spoolDir, maxBytes: 64 * 1024 ** 2 });
  earlier.append(testEnvelope(0, { host: "spooledbig" }));
  earlier.append(hugeEnvelope(1, "spooledbig"));
  earlier.append(testEnvelope(2, { host: "spooledbig" }));
  earlier.close();

  const spool = Spool.open({ dir: spoolDir, maxBytes: 64 * 1024 ** 2 });
  expect(spool.size).toBe(3);
  const link = NatsLink.start({ servers: [nats.url], token: null, credsFile: null, logger });
  const publisher = new Publisher({ link, spool, logger, ackTimeoutMs: 5_000 });
  await waitFor(() => spool.isEmpty, WAIT_MS, "the spool to drain");
  publisher.submit(testEnvelope(3, { host: "spooledbig" }));
  await waitFor(async () => (await readStream(nc, "spooledbig")).length === 4, WAIT_MS, "4 envelopes");
  const stored = (await readStream(nc, "spooledbig")).map((s) => s.envelope);
  expect(stored.map((e) => e.seq)).toEqual([0, 1, 2, 3]);
  expect(stored.map((e) => e.errors[0]?.code ?? null)).toEqual([null, "PAYLOAD_TOO_LARGE", null, null]);
  expect(publisher.stats().tooLarge).toBe(1);
  await publisher.close();
  await link.close();
  expect(listSegments(spoolDir)).toEqual([]);
});
