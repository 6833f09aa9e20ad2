import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestNats } from "@infrastructor/lib/testing/servers.ts";
import { waitFor } from "../../test/stream.ts";
import { createLogger } from "../logger.ts";
import { NatsLink } from "./nats-link.ts";

let nats: Awaited<ReturnType<typeof startTestNats>>;
const logger = createLogger("silent");

beforeAll(async () => {
  nats = await startTestNats();
});
afterAll(async () => {
  await nats?.destroy();
});

function startLink(): { link: NatsLink; changes: boolean[] } {
  const link = NatsLink.start({
    servers: [nats.url],
    token: null,
    credsFile: null,
    logger,
    reconnectWaitMs: 200,
  });
  const changes: boolean[] = [];
  link.onChange(() => changes.push(link.connected));
  return { link, changes };
}

test("reports down and up again across a server restart, and refuses to publish while down", async () => {
  const { link, changes } = startLink();
  await waitFor(() => link.connected, 5_000, "connect");
  await nats.stop();
  await waitFor(() => !link.connected, 5_000, "the disconnect");
  await expect(link.publish("infra.v1.h.d", new Uint8Array(1), "id", 500)).rejects.toMatchObject({
    code: "NATS_UNAVAILABLE",
  });
  await nats.start();
  await waitFor(() => link.connected, 10_000, "the reconnect");
  expect(changes).toEqual([true, false, true]);
  await link.close();
  expect(link.connected).toBe(false);
});

test("close() returns at once while reconnecting, and while NATS was never reachable", async () => {
  const { link } = startLink();
  await waitFor(() => link.connected, 5_000, "connect");
  await nats.stop();
  await waitFor(() => !link.connected, 5_000, "the disconnect");
  let started = Date.now();
  await link.close();
  expect(Date.now() - started).toBeLessThan(500);

  const never = startLink().link; // the server is still down
  await Bun.sleep(500);
  started = Date.now();
  await never.close();
  expect(Date.now() - started).toBeLessThan(500);
  await nats.start();
  await Bun.sleep(500);
  expect(never.connected).toBe(false); // the stopped dial loop did not connect after all
});
