import { connect, type JetStreamClient, type NatsConnection } from "nats";
import postgres, { type Sql } from "postgres";
import { type CollectorProcess, spawnCollector } from "./collector-process.ts";
import { startTestNats, startTestPostgres } from "./servers.ts";

/** What an ingest test needs: a PostgreSQL, a nats-server, a client of each. */
export interface PipelineServers {
  pg: Awaited<ReturnType<typeof startTestPostgres>>;
  nats: Awaited<ReturnType<typeof startTestNats>>;
  nc: NatsConnection;
  js: JetStreamClient;
  sql: Sql;
  /** Closes the clients, then stops and deletes both servers. */
  destroy(): Promise<void>;
}

export async function startPipelineServers(): Promise<PipelineServers> {
  const [pg, nats] = await Promise.all([startTestPostgres(), startTestNats()]);
  const nc = await connect({ servers: nats.url });
  const sql = postgres(pg.url, { max: 2, onnotice: () => {} });
  return {
    pg,
    nats,
    nc,
    js: nc.jetstream(),
    sql,
    async destroy(): Promise<void> {
      await nc.close();
      await sql.end();
      await Promise.all([pg.destroy(), nats.destroy()]);
    },
  };
}

/** The servers with the real collector process on them (it runs the migrations as it starts). */
export interface Pipeline extends PipelineServers {
  collector: CollectorProcess;
  /** Stops the collector (printing its log under SHOW_COLLECTOR_LOG), then the clients and servers. */
  destroy(): Promise<void>;
}

/** `env` adds to or overrides the collector's environment (DATABASE_URL and NATS_URL point at the servers). */
export async function startPipeline(env: Record<string, string> = {}): Promise<Pipeline> {
  const servers = await startPipelineServers();
  let collector: CollectorProcess;
  try {
    collector = await spawnCollector({ DATABASE_URL: servers.pg.url, NATS_URL: servers.nats.url, ...env });
  } catch (err) {
    await servers.destroy();
    throw err;
  }
  return {
    ...servers,
    collector,
    async destroy(): Promise<void> {
      if (process.env.SHOW_COLLECTOR_LOG) console.log(collector.output());
      await collector.stop();
      await servers.destroy();
    },
  };
}
