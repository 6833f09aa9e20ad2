import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../scripts/lib/free-port.ts";
import { NatsProcess } from "../../scripts/lib/nats-process.ts";
import { PgCluster } from "../../scripts/lib/pg-cluster.ts";

/** A throwaway PostgreSQL cluster for one test file: fsync off, deleted on stop. */
export async function startTestPostgres(): Promise<PgCluster & { destroy(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "infra-pg-"));
  const cluster = new PgCluster({
    dataDir: dir,
    port: freePort(),
    database: "infrastructor",
    durable: false,
  });
  await cluster.init();
  await cluster.start();
  await cluster.createDatabase();
  return Object.assign(cluster, {
    async destroy(): Promise<void> {
      if (await cluster.isRunning()) await cluster.stop("immediate");
      await rm(dir, { recursive: true, force: true });
    },
  });
}

/** A throwaway nats-server with JetStream for one test file. */
export async function startTestNats(): Promise<NatsProcess & { destroy(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "infra-nats-"));
  const server = new NatsProcess({ storeDir: dir, port: freePort() });
  await server.start();
  return Object.assign(server, {
    async destroy(): Promise<void> {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  });
}
