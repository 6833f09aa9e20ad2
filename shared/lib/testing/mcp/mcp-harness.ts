import { createEnvelopeFactory, type EnvelopeFactory } from "@infrastructor/agent/envelope-factory.ts";
import type { PollResult } from "@infrastructor/agent/safe-collect.ts";
import { type Backend, createBackend } from "@infrastructor/mcp/backend.ts";
import { loadMcpConfig } from "@infrastructor/mcp/config.ts";
import type { LiveSource } from "@infrastructor/mcp/live/live-source.ts";
import { createMcpServer } from "@infrastructor/mcp/server.ts";
import type { Store } from "@infrastructor/mcp/store/store.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";
import type { Envelope } from "@infrastructor/shared/envelope.ts";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult, ClientCapabilities } from "@modelcontextprotocol/sdk/types.js";
import type { JetStreamClient } from "nats";
import pino from "pino";
import { type CollectorProcess, spawnCollector } from "../collector-process.ts";
import { type PipelineServers, startPipelineServers } from "../pipeline-servers.ts";
import { publishEnvelopes } from "../publish.ts";
import { waitFor } from "../wait.ts";

/**
 * A database filled through the real pipeline (envelopes -> nats-server -> collector process ->
 * PostgreSQL) and MCP clients connected to the real server. Tests add data with `ingest`, which
 * returns once the collector has written the envelope's latest state.
 */
export interface McpHarness {
  servers: PipelineServers;
  collector: CollectorProcess;
  /** Publishes one collector result for `host` as its agent would, and waits until it is stored. */
  ingest(host: string, domain: Domain, result: PollResult, collectedAt?: Date): Promise<Envelope>;
  /** Publishes prepared envelopes and waits until the last of each host/domain is stored. */
  publish(envelopes: Envelope[]): Promise<void>;
  /** A connected SDK Client (in-memory transport) on a fresh server over a fresh backend. */
  connect(options?: ConnectOptions): Promise<McpSession>;
  destroy(): Promise<void>;
}

export interface ConnectOptions {
  /** Extra MCP_* environment for loadMcpConfig. */
  env?: Record<string, string>;
  live?: ((store: Store) => LiveSource) | null;
  /** What the client declares (e.g. `{ elicitation: { form: {} } }`); none by default. */
  capabilities?: ClientCapabilities;
  /** Sets client handlers (elicitation/create, notifications) before it connects. */
  setup?: (client: Client) => void;
  /** How often a subscribed session polls infra://alerts. */
  alertsPollMs?: number;
}

export interface McpSession {
  client: Client;
  backend: Backend;
  /** tools/call; returns the raw result (check isError and structuredContent). */
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** `collectorEnv` adds to the collector's environment (e.g. a short ROLLUP_REFRESH_INTERVAL). */
export async function startMcpHarness(collectorEnv: Record<string, string> = {}): Promise<McpHarness> {
  const servers = await startPipelineServers();
  const collector = await spawnCollector({
    DATABASE_URL: servers.pg.url,
    NATS_URL: servers.nats.url,
    ...collectorEnv,
  });
  const js: JetStreamClient = servers.nc.jetstream();
  const factories = new Map<string, EnvelopeFactory>();
  const sessions: McpSession[] = [];

  const publish = async (envelopes: Envelope[]): Promise<void> => {
    await publishEnvelopes(js, envelopes);
    const last = new Map<string, Envelope>();
    for (const e of envelopes) last.set(`${e.host}/${e.domain}`, e);
    for (const e of last.values()) {
      await waitFor(`latest_state of ${e.host}/${e.domain} seq ${e.seq}`, async () => {
        const rows = await servers.sql`
            SELECT 1 FROM latest_state l JOIN devices d ON d.id = l.device_id
            WHERE d.hostname = ${e.host} AND l.domain = ${e.domain} AND l.boot_id = ${e.boot_id} AND l.seq >= ${e.seq}`;
        return rows.length > 0 ? true : undefined;
      });
    }
  };

  return {
    servers,
    collector,
    publish,
    async ingest(host, domain, result, collectedAt = new Date()) {
      let factory = factories.get(host);
      if (factory === undefined) {
        factory = createEnvelopeFactory({ host });
        factories.set(host, factory);
      }
      const envelope = factory.build(domain, result, collectedAt);
      await publish([envelope]);
      return envelope;
    },
    async connect(options = {}) {
      const config = loadMcpConfig({ DATABASE_URL: servers.pg.url, ...options.env });
      const log = pino({ level: "silent" });
      const backend = createBackend(config, log, options.live ?? null);
      const deps =
        options.alertsPollMs === undefined
          ? backend.deps
          : { ...backend.deps, alertsPollMs: options.alertsPollMs };
      const server = createMcpServer(deps);
      const client = new Client(
        { name: "mcp-test", version: "1.0.0" },
        options.capabilities === undefined ? {} : { capabilities: options.capabilities },
      );
      options.setup?.(client);
      const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
      await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
      const session: McpSession = {
        client,
        backend,
        call: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
        async close() {
          await client.close();
          await server.close();
          await backend.close();
        },
      };
      sessions.push(session);
      return session;
    },
    async destroy() {
      for (const s of sessions) await s.close().catch(() => {});
      await collector.stop();
      await servers.destroy();
    },
  };
}
