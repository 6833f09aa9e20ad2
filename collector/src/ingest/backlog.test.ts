import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestNats } from "@infrastructor/lib/testing/servers.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import { AckPolicy, connect, type NatsConnection } from "nats";
import { readBacklog } from "./backlog.ts";

let nats: Awaited<ReturnType<typeof startTestNats>>;
let nc: NatsConnection;

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connect({ servers: nats.url });
}, 60_000);

afterAll(async () => {
  await nc?.close();
  await nats?.destroy();
});

test("the backlog's age is the age of the oldest message not acked yet, 0 when all are", async () => {
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name: "B", subjects: ["b.>"] });
  await jsm.consumers.add("B", { durable_name: "c", ack_policy: AckPolicy.Explicit });
  const consumer = await nc.jetstream().consumers.get("B", "c");
  const js = nc.jetstream();
  await js.publish("b.x", "first");
  const firstAt = Date.now();
  await Bun.sleep(1500); // the second message must be measurably younger than the first
  await js.publish("b.x", "second");

  const before = await readBacklog(jsm, consumer, firstAt + 10_000);
  expect(before).toMatchObject({ pending: 2, ack_pending: 0 });
  expect(before.age_s).toBeGreaterThanOrEqual(9.5);

  // ack the first: the age is now the second message's
  const first = await consumer.next();
  await first?.ackAck();
  const after = await readBacklog(jsm, consumer, firstAt + 10_000);
  expect(after.pending).toBe(1);
  expect(after.age_s).toBeLessThanOrEqual(8.6);

  const second = await consumer.next();
  await second?.ackAck();
  const empty = await waitFor("an empty backlog", async () => {
    const b = await readBacklog(jsm, consumer, Date.now());
    return b.pending + b.ack_pending === 0 ? b : undefined;
  });
  expect(empty.age_s).toBe(0);
});
