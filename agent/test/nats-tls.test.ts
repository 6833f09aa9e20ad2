import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { natsTls } from "@infrastructor/shared/nats-tls.ts";
import { connect } from "nats";
import { ensureTlsMaterial, type TlsMaterial } from "../../collector/src/tls/tls-material.ts";
import { freePort } from "../../scripts/lib/free-port.ts";
import { NatsProcess } from "../../scripts/lib/nats-process.ts";

/**
 * The agent's NATS link with the site CA (nats.ca_file, handed out at enrollment) against real servers:
 * it connects to the site's TLS server, and refuses an impostor in the middle, whether the impostor
 * offers no TLS (a downgrade: the credentials' handshake would travel in clear) or a certificate of
 * another CA.
 */
let dir: string;
let site: TlsMaterial;
let other: TlsMaterial;
const servers: NatsProcess[] = [];

async function nats(tls: TlsMaterial | null): Promise<NatsProcess> {
  const server = new NatsProcess({
    storeDir: join(dir, `store-${servers.length}`),
    port: freePort(),
    args: tls === null ? [] : ["--tls", "--tlscert", tls.certFile, "--tlskey", tls.keyFile],
  });
  servers.push(server);
  await server.start();
  return server;
}

async function tryConnect(url: string, caFile: string | null): Promise<string> {
  try {
    const nc = await connect({
      servers: url,
      timeout: 5_000,
      maxReconnectAttempts: 0,
      ...natsTls(url, caFile),
    });
    await nc.close();
    return "connected";
  } catch (err) {
    return (err as Error).message;
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "infra-nats-tls-"));
  site = ensureTlsMaterial(join(dir, "site"), ["127.0.0.1"]);
  other = ensureTlsMaterial(join(dir, "other"), ["127.0.0.1"]);
}, 60_000);

afterAll(async () => {
  for (const server of servers) await server.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("NATS over TLS with the site CA pinned", () => {
  test("the site's TLS server: connected", async () => {
    const server = await nats(site);
    expect(await tryConnect(`tls://127.0.0.1:${server.port}`, site.caFile)).toBe("connected");
  }, 60_000);

  test("an impostor without TLS on the address: refused, no downgrade to plain text", async () => {
    const server = await nats(null);
    expect(await tryConnect(`tls://127.0.0.1:${server.port}`, site.caFile)).not.toBe("connected");
    expect(await tryConnect(`nats://127.0.0.1:${server.port}`, site.caFile)).not.toBe("connected");
  }, 60_000);

  test("an impostor with a certificate of another CA: refused", async () => {
    const server = await nats(other);
    expect(await tryConnect(`tls://127.0.0.1:${server.port}`, site.caFile)).toMatch(/certificate|verify/i);
  }, 60_000);
});
