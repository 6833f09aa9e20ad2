import { expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.ts";
import { NatsProcess } from "./nats-process.ts";

test("a nats-server that cannot listen (its port taken) fails the start at once with its own words", async () => {
  const dir = await mkdtemp(join(tmpdir(), "nats-exit-"));
  const port = freePort();
  const squatter = Bun.listen({ hostname: "127.0.0.1", port, socket: { data() {} } });
  const server = new NatsProcess({ storeDir: join(dir, "store"), port });
  try {
    const error = await server.start().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^nats-server exited 1 before listening on 127\.0\.0\.1:\d+:/);
    expect((error as Error).message).toContain("address already in use");
  } finally {
    squatter.stop(true);
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
