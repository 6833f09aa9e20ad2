import { connect, type NatsConnection } from "nats";
import postgres, { type Sql } from "postgres";
import { startTestNats, startTestPostgres } from "./servers.ts";

/** What an ingest test needs: a PostgreSQL, a nats-server, a client of each. */
export interface PipelineServers {
  pg: Awaited<ReturnType<typeof startTestPostgres>>;
  nats: Awaited<ReturnType<typeof startTestNats>>;
  nc: NatsConnection;
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
    sql,
    async destroy(): Promise<void> {
      await nc.close();
      await sql.end();
      await Promise.all([pg.destroy(), nats.destroy()]);
    },
  };
}
