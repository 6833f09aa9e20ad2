import { readFileSync } from "node:fs";
import { bareAlertActions } from "@infrastructor/lib/alerts/surface-actions.ts";
import { connectDatabase } from "@infrastructor/lib/db/connect.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { natsTls } from "@infrastructor/shared/nats-tls.ts";
import { COLLECTOR_INBOX_PREFIX } from "@infrastructor/shared/subjects.ts";
import { type ConsumerMessages, connect, credsAuthenticator, type NatsConnection } from "nats";
import { createBackend } from "../../mcp/src/backend.ts";
import { McpHttpSessions } from "../../mcp/src/http/http-sessions.ts";
import { sshLiveSource } from "../../mcp/src/live/ssh-live-source.ts";
import { runMigrations } from "../../sql/src/migrate.ts";
import { alertsHealth, startCollectorAlerts } from "./alerts/collector-alerts.ts";
import type { CollectorConfig } from "./config.ts";
import type { HostCredentialIssuer } from "./enroll/host-credential-issuer.ts";
import { createApp } from "./http/app.ts";
import type { HealthReport } from "./http/routes/health.ts";
import { readBacklog } from "./ingest/backlog.ts";
import { DeviceRegistry } from "./ingest/device-registry.ts";
import { ensureConsumer, ensureStream, PULL_MAX_BYTES } from "./ingest/jetstream.ts";
import { IngestPipeline } from "./ingest/pipeline.ts";
import type { Logger } from "./logger.ts";
import { startMaintenance } from "./maintenance/schedule.ts";
import { createMetrics } from "./metrics.ts";
import type { HostCredentials } from "./nats-auth/host-credentials.ts";
import { startHostCredentials } from "./nats-auth/start-host-credentials.ts";
import { spkiPin } from "./tls/tls-material.ts";

export interface RunningCollector {
  /** The port the HTTP server listens on (useful with port 0 in tests). */
  port: number;
  /** Issues and revokes per-host NATS credentials (NATS_AUTH_DIR set), for enrollment; else null. */
  hostCredentials: HostCredentials | null;
  stop(): Promise<void>;
}

/** What the process wires in beyond its configuration. */
export interface CollectorDeps {
  /** Per-host NATS credentials at enrollment; absent: enrolled agents get the NATS URL only. */
  credentialIssuer?: HostCredentialIssuer;
}

/**
 * Starts everything a collector process runs: migrations, the JetStream consumer feeding the ingest
 * pipeline, plain-PostgreSQL maintenance, and the HTTP server. stop() finishes in-flight batches
 * (acked only after commit) before closing connections.
 */
export async function startCollector(
  config: CollectorConfig,
  log: Logger,
  deps: CollectorDeps = {},
): Promise<RunningCollector> {
  // Read first: a missing or bad certificate stops the start before anything else is touched.
  const tls = config.http.tls === null ? null : readServerTls(config.http.tls);
  const handles = connectDatabase(
    config.databaseUrl,
    config.databasePoolSize,
    (notice) => log.debug({ part: "db", notice }, "postgres notice"),
    config.databaseLimits,
  );
  const migrated = await runMigrations(handles.sql, { flavor: "auto" });
  if (migrated.error) {
    // Nothing else has used the pool yet: end it now. A graceful end would wait its whole timeout for a
    // session the server ended (postgres.js keeps that connection's last query as pending).
    await handles.sql.end({ timeout: 0 });
    throw migrated.error;
  }
  const flavor = migrated.flavor ?? "postgres";
  const applied = migrated.results.filter((r) => r.status === "applied").length;
  log.info({ flavor, applied }, "schema ready");

  const nc = await connectNats(config, log);
  const jsm = await nc.jetstreamManager();
  await ensureStream(jsm, config.stream);
  await ensureConsumer(jsm, config.stream);
  const consumer = await nc.jetstream().consumers.get(config.stream.name, config.stream.consumer);
  // Per-host NATS credentials (NATS_AUTH_DIR); enrollment issues through it. Pushes revocations now.
  const hostCredentials = await startHostCredentials(config, handles.db, log);

  const metrics = createMetrics();
  const maintenance = startMaintenance({
    sql: handles.sql,
    flavor,
    retention: config.retention,
    refreshIntervalMs: config.rollupRefreshMs,
    log: (level, message, fields) => log[level]({ part: "maintenance", ...fields }, message),
  });
  const pipeline = new IngestPipeline({
    sql: handles.sql,
    devices: new DeviceRegistry(handles.sql),
    limits: config.ingest,
    batchRows: config.ingest.batchRows,
    batchWaitMs: config.ingest.batchWaitMs,
    writers: config.ingest.writers,
    latestIntervalMs: config.ingest.latestIntervalMs,
    rejectsPerHostMinute: config.ingest.rejectsPerHostMinute,
    retryMaxMs: config.ingest.retryMaxMs,
    metrics,
    log: log.child({ part: "ingest" }),
    onCommitted: (earliestMs) => maintenance.markDirty(new Date(earliestMs)),
  });

  // Bounded by bytes, not by count: 4,000 messages of 1 MiB each made nats-server push gigabytes at
  // the collector, past the server's per-client pending limit (64 MiB), which cut the connection as a
  // slow consumer on every retry. nats.js then asks for at most 100 messages per pull, as fast here.
  const messages: ConsumerMessages = await consumer.consume({ max_bytes: PULL_MAX_BYTES });
  const consuming = (async () => {
    for await (const msg of messages) await pipeline.add(msg);
  })().catch((err) => log.error({ err }, "consumer loop ended"));

  async function consumerBacklog(): Promise<HealthReport["consumer"]> {
    const backlog = await readBacklog(jsm, consumer, Date.now());
    metrics.consumerPending.set({ state: "pending" }, backlog.pending);
    metrics.consumerPending.set({ state: "ack_pending" }, backlog.ack_pending);
    if (backlog.age_s !== null) metrics.backlogAge.set(backlog.age_s);
    return backlog;
  }

  async function pipelineHealth(): Promise<HealthReport> {
    const started = performance.now();
    const database = await Promise.race([
      handles.sql`SELECT 1`.then(() => ({ ok: true, latency_ms: Math.round(performance.now() - started) })),
      Bun.sleep(2000).then(() => ({ ok: false, error: "no answer within 2 s" })),
    ]).catch((err: unknown) => ({ ok: false, error: String(err) }));
    const natsOk = !nc.isClosed() && nc.info !== undefined;
    const backlog = natsOk ? await consumerBacklog().catch(() => null) : null;
    const nats = natsOk && backlog ? { ok: true } : { ok: false, error: "NATS not connected" };
    return { status: database.ok && nats.ok ? "ok" : "degraded", database, nats, consumer: backlog };
  }

  const alerts =
    config.alerts === null
      ? null
      : await startCollectorAlerts({
          ...config.alerts,
          sql: handles.sql,
          databaseUrl: config.databaseUrl,
          log,
          registry: metrics.registry,
          healthy: async () => (await pipelineHealth()).status === "ok",
        });

  async function health(): Promise<HealthReport> {
    const report = await pipelineHealth();
    return alerts === null ? report : { ...report, alerts: await alertsHealth(alerts) };
  }

  const mcp = startMcp(config, log);
  const app = createApp({
    db: handles.db,
    apiToken: config.http.apiToken,
    registry: metrics.registry,
    health,
    refreshMetrics: async () => {
      await consumerBacklog();
    },
    log: log.child({ part: "http" }),
    mcp: mcp?.sessions ?? null,
    // The engine's actions (its config's channels); without ALERTS_CONFIG an acknowledgement goes to
    // the channels that carried the rule before.
    alerts: { sql: handles.sql, actions: alerts?.running ?? bareAlertActions(handles.sql) },
    enroll: {
      settings: {
        natsUrl: config.enroll.agentNatsUrl,
        natsToken: config.enroll.agentNatsToken,
        // The injected issuer (tests), else this collector's own per-host NATS credentials.
        natsCa:
          config.enroll.agentNatsCaFile === null
            ? null
            : readPem(config.enroll.agentNatsCaFile, "AGENT_NATS_CA"),
        issuer:
          deps.credentialIssuer ??
          (hostCredentials === null
            ? null
            : {
                issue: (hostname: string, options: { replace: boolean }) =>
                  hostCredentials.issueHostCredentials(hostname, options),
              }),
      },
      distDir: config.enroll.distDir,
      publicUrl: config.enroll.publicUrl,
      rateLimits: {
        perClientPerMin: config.enroll.ratePerClientPerMin,
        globalPerMin: config.enroll.rateGlobalPerMin,
      },
      pin: tls?.pin ?? null,
    },
  });
  const server = Bun.serve({
    hostname: config.http.host,
    port: config.http.port,
    fetch: app.fetch,
    ...(tls === null ? {} : { tls: { cert: tls.cert, key: tls.key } }),
  });
  log[tls === null ? "warn" : "info"](
    {
      host: config.http.host,
      port: server.port,
      scheme: tls === null ? "http" : "https",
      ...(tls === null ? {} : { pin: tls.pin }),
      // The line for the next host (with a token of `enroll-token create`), when hosts' URL is known.
      ...(tls === null || config.enroll.publicUrl === null
        ? {}
        : {
            install: `curl --pinnedpubkey ${tls.pin} -kfsS ${config.enroll.publicUrl}/install.sh | sudo sh -s -- --token TOKEN`,
          }),
      stream: config.stream.name,
    },
    tls === null ? "collector started (plain HTTP: COLLECTOR_TLS=off)" : "collector started",
  );

  return {
    port: server.port ?? config.http.port,
    hostCredentials,
    async stop(): Promise<void> {
      // Bounded: every step gets what is left of COLLECTOR_STOP_TIMEOUT, then the next one runs
      // anyway. A batch not committed by then is not acked, so JetStream delivers it again later.
      const deadline = Date.now() + config.stopTimeoutMs;
      const step = async (what: string, work: () => Promise<unknown>): Promise<void> => {
        const left = Math.max(0, deadline - Date.now());
        let timer: Timer | undefined;
        const late = new Promise<"late">((resolve) => {
          timer = setTimeout(() => resolve("late"), left);
        });
        const outcome = await Promise.race([
          work().then(
            () => "done" as const,
            (err: unknown) => {
              log.warn({ err, step: what }, "stop step failed");
              return "failed" as const;
            },
          ),
          late,
        ]);
        clearTimeout(timer);
        if (outcome === "late")
          log.warn({ step: what, stop_timeout_ms: config.stopTimeoutMs }, "stop step cut short");
      };
      messages.stop();
      await step("consumer", () => consuming);
      await step("ingest drain", () => pipeline.drain());
      await step("maintenance", () => maintenance.stop());
      await step("alerts", async () => await alerts?.stop());
      await step("mcp sessions", async () => await mcp?.sessions.close());
      await step("http", () => server.stop(true));
      await step("mcp backend", async () => await mcp?.backend.close());
      await step("nats", () => nc.drain());
      // The pool last, with whatever time is left (at least none: queries still running are cut).
      await handles.sql.end({ timeout: Math.max(0, (deadline - Date.now()) / 1000) }).catch(() => undefined);
      log.info("collector stopped");
    },
  };
}

/**
 * The MCP server behind /mcp: one backend (its own small pool and SSH pool) shared by every HTTP
 * session, with the same live fallback over SSH as the stdio server.
 */
function startMcp(
  config: CollectorConfig,
  log: Logger,
): { sessions: McpHttpSessions; backend: ReturnType<typeof createBackend> } | null {
  if (config.mcp === null) return null;
  const mcpLog = log.child({ part: "mcp" });
  const server = config.mcp.server;
  const backend = createBackend(server, mcpLog, (store) => sshLiveSource(server, store, mcpLog));
  const sessions = new McpHttpSessions(
    backend.deps,
    {
      idleMs: config.mcp.sessionIdleMs,
      maxSessions: config.mcp.maxSessions,
      maxSessionsPerClient: config.mcp.maxSessionsPerClient,
      origin: config.mcp.origin,
    },
    mcpLog,
  );
  return { sessions, backend };
}

async function connectNats(config: CollectorConfig, log: Logger): Promise<NatsConnection> {
  const creds = config.nats.credsFile === undefined ? undefined : readCreds(config.nats.credsFile);
  try {
    const nc = await connect({
      servers: config.nats.url,
      name: "infrastructor-collector",
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
      waitOnFirstConnect: true,
      // Its own inbox: with per-host credentials (JWT auth) the collector may subscribe only there.
      inboxPrefix: COLLECTOR_INBOX_PREFIX,
      ...(config.nats.token ? { token: config.nats.token } : {}),
      ...natsTls(config.nats.url.split(","), config.nats.caFile ?? null),
      ...(creds === undefined ? {} : { authenticator: credsAuthenticator(creds) }),
    });
    (async () => {
      for await (const s of nc.status()) log.info({ nats: s.type, data: String(s.data) }, "nats status");
    })();
    return nc;
  } catch (err) {
    throw new AppError(ErrorCode.NATS_UNAVAILABLE, `cannot connect to NATS at ${config.nats.url}`, {
      cause: err,
    });
  }
}

function readCreds(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new AppError(
      ErrorCode.CONFIG_INVALID,
      `NATS_CREDS: cannot read ${file}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}

/** The HTTPS certificate and key, and the pin install.sh re-uses (the server certificate's public key). */
function readServerTls(files: { certFile: string; keyFile: string }): {
  cert: string;
  key: string;
  pin: string;
} {
  const cert = readPem(files.certFile, "COLLECTOR_TLS_CERT");
  const key = readPem(files.keyFile, "COLLECTOR_TLS_KEY");
  try {
    return { cert, key, pin: spkiPin(cert) };
  } catch (err) {
    throw new AppError(
      ErrorCode.CONFIG_INVALID,
      `COLLECTOR_TLS_CERT: ${files.certFile} is not a PEM certificate`,
      {
        cause: err,
      },
    );
  }
}

function readPem(file: string, variable: string): string {
  try {
    const text = readFileSync(file, "utf8");
    if (!text.includes("-----BEGIN ")) throw new Error("no PEM block in it");
    return text;
  } catch (err) {
    throw new AppError(
      ErrorCode.CONFIG_INVALID,
      `${variable}: cannot read ${file}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}
