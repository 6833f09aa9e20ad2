import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AUTH_FILES } from "../../../collector/src/nats-auth/auth-files.ts";
import { initNatsAuth } from "../../../collector/src/nats-auth/init-nats-auth.ts";
import { freePort } from "../../../scripts/lib/free-port.ts";
import { NatsProcess } from "../../../scripts/lib/nats-process.ts";
import { PgCluster } from "../../../scripts/lib/pg-cluster.ts";
import { relocatedPostgres, type StandInExtension } from "./relocated-postgres.ts";

export interface TestPostgresOptions {
  /** Extensions the server offers besides its own (a relocated copy of the server, see relocatedPostgres). */
  extensions?: StandInExtension[];
}

/** A throwaway PostgreSQL cluster for one test file: fsync off, deleted on stop. */
export async function startTestPostgres(
  options: TestPostgresOptions = {},
): Promise<PgCluster & { destroy(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "infra-pg-"));
  const install = options.extensions === undefined ? null : await relocatedPostgres(options.extensions);
  const cluster = new PgCluster({
    dataDir: dir,
    port: freePort(),
    database: "infrastructor",
    durable: false,
    ...(install === null ? {} : { binDir: install.binDir }),
  });
  await cluster.init();
  await cluster.start();
  await cluster.createDatabase();
  return Object.assign(cluster, {
    async destroy(): Promise<void> {
      if (await cluster.isRunning()) await cluster.stop("immediate");
      await rm(dir, { recursive: true, force: true });
      if (install !== null) await rm(install.root, { recursive: true, force: true });
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

/** A nats-server in operator (JWT) mode: `nats init` output in `authDir`, as production runs it. */
export interface TestNatsOperator extends NatsProcess {
  /** The `nats init` directory: NATS_AUTH_DIR for the collector and the CLI. */
  authDir: string;
  /** The collector's own credentials file (NATS_CREDS). */
  collectorCreds: string;
  /** Where the server keeps pushed account JWTs (its full resolver). */
  resolverDir: string;
  /** Stops and starts the server on the same port and store; `forgetPushed` empties the resolver first. */
  restart(options?: { forgetPushed?: boolean }): Promise<void>;
  destroy(): Promise<void>;
}

export interface TestNatsOperatorOptions {
  /** The server's max_payload (its default is 1 MiB), e.g. raised above a per-user limit. */
  maxPayloadBytes?: number;
}

export async function startTestNatsOperator(
  options: TestNatsOperatorOptions = {},
): Promise<TestNatsOperator> {
  const dir = await mkdtemp(join(tmpdir(), "infra-nats-op-"));
  const authDir = join(dir, "auth");
  const state = await initNatsAuth(authDir);
  let config = join(authDir, AUTH_FILES.serverConfig);
  if (options.maxPayloadBytes !== undefined) {
    config = join(dir, "server.conf");
    await writeFile(
      config,
      `max_payload: ${options.maxPayloadBytes}\ninclude "auth/${AUTH_FILES.serverConfig}"\n`,
    );
  }
  const server = new NatsProcess({
    storeDir: join(dir, "store"),
    port: freePort(),
    args: ["-c", config],
  });
  await server.start();
  return Object.assign(server, {
    authDir,
    collectorCreds: join(authDir, AUTH_FILES.collectorCreds),
    resolverDir: state.resolver_dir,
    async restart(options: { forgetPushed?: boolean } = {}): Promise<void> {
      await server.stop();
      if (options.forgetPushed) await rm(join(state.resolver_dir), { recursive: true, force: true });
      await server.start();
    },
    async destroy(): Promise<void> {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  });
}
