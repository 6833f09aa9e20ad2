import { connectDatabase } from "@infrastructor/lib/db/connect.ts";
import { Freshness } from "@infrastructor/lib/db/freshness.ts";
import type { McpConfig } from "./config.ts";
import { DomainReader } from "./domain-reader.ts";
import type { LiveSource } from "./live/live-source.ts";
import type { Logger } from "./logger.ts";
import type { McpDeps } from "./server.ts";
import { Store } from "./store/store.ts";

export interface Backend {
  deps: McpDeps;
  close(): Promise<void>;
}

/**
 * What every MCP session shares: the database pool, the freshness rules, the live source (its SSH
 * connections are pooled across sessions). `makeLive` is given the store so it can read host keys.
 */
export function createBackend(
  config: McpConfig,
  log: Logger,
  makeLive: ((store: Store) => LiveSource) | null = null,
): Backend {
  const handles = connectDatabase(
    config.databaseUrl,
    config.databasePoolSize,
    (notice) => log.debug({ notice }, "postgres notice"),
    config.databaseLimits,
  );
  const store = new Store(handles.db);
  const live = makeLive === null ? null : makeLive(store);
  const domains = new DomainReader(store, live, new Freshness(config), log, config.liveConcurrency);
  return {
    deps: { store, sql: handles.sql, domains, live, config, log },
    async close(): Promise<void> {
      await live?.close();
      await handles.close();
    },
  };
}
