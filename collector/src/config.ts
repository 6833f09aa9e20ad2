import { hostname } from "node:os";
import { resolve } from "node:path";
import { type DbLimits, DbLimitsEnvSchema, dbLimitsFromEnv } from "@infrastructor/lib/db/db-limits.ts";
import { DurationMsSchema, SizeBytesSchema } from "@infrastructor/shared/duration.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { placeholderSecretReason, weakSecretReason } from "@infrastructor/shared/secret-strength.ts";
import { z } from "zod";
import { loadMcpConfig, MCP_ENV_VARS, type McpConfig } from "../../mcp/src/config.ts";
import type { OriginPolicy } from "../../mcp/src/http/request-origin.ts";
import { PUBLIC_URL_PATTERN } from "./enroll/installer-script.ts";
import { STREAM_MAX_MSG_BYTES, type StreamSettings } from "./ingest/jetstream.ts";

/**
 * The collector's whole configuration, read from the environment once at start. This is the only
 * module that reads process.env. A bad value stops the start with the variable's name.
 */
/** A secret: refused when it is a placeholder (`.env.example`'s values, "changeme"...) or too weak. */
const SecretSchema = z.string().superRefine((value, ctx) => {
  const reason = weakSecretReason(value);
  if (reason !== null) ctx.addIssue({ code: "custom", message: reason });
});

const EnvSchema = z.object({
  DATABASE_URL: z
    .url()
    .default("postgres://infrastructor@127.0.0.1:9100/infrastructor")
    .superRefine((url, ctx) => {
      // The password is the database's to judge, but an example file's placeholder is never one.
      const password = URL.canParse(url) ? decodeURIComponent(new URL(url).password) : "";
      const reason = password === "" ? null : placeholderSecretReason(password);
      if (reason !== null) ctx.addIssue({ code: "custom", message: `its password ${reason}` });
    }),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(6),
  ...DbLimitsEnvSchema.shape,
  COLLECTOR_STOP_TIMEOUT: DurationMsSchema.default(20_000).refine((ms) => ms >= 1000 && ms <= 300_000, {
    message: "must be between 1s and 5m",
  }),
  ENROLL_RATE_LIMIT_PER_CLIENT: z.coerce.number().int().min(1).max(100_000).default(10),
  ENROLL_RATE_LIMIT_GLOBAL: z.coerce.number().int().min(1).max(1_000_000).default(120),
  NATS_URL: z.string().min(1).default("nats://127.0.0.1:4222"),
  NATS_CREDS: z.string().optional(),
  NATS_AUTH_DIR: z.string().optional(),
  NATS_TOKEN: SecretSchema.optional(),
  NATS_STREAM: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .default("INFRA"),
  NATS_CONSUMER: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .default("collector"),
  STREAM_MAX_AGE: DurationMsSchema.default(7 * 86_400_000),
  STREAM_MAX_BYTES: SizeBytesSchema.default(10 * 1024 ** 3),
  STREAM_DUPLICATE_WINDOW: DurationMsSchema.default(10 * 60_000).refine((ms) => ms >= 120_000, {
    message: "must be at least 2m: agents replay their spool within it",
  }),
  COLLECTOR_HOST: z.string().min(1).default("0.0.0.0"),
  COLLECTOR_PORT: z.coerce.number().int().min(1).max(65535).default(9101),
  COLLECTOR_API_TOKEN: SecretSchema,
  /** HTTPS unless the operator explicitly opts out (a trusted LAN): install.sh, the agent and seeds travel here. */
  COLLECTOR_TLS: z.enum(["on", "off"]).default("on"),
  COLLECTOR_TLS_CERT: z.string().min(1).optional(),
  COLLECTOR_TLS_KEY: z.string().min(1).optional(),
  /** The CA (PEM file) the collector verifies a tls:// NATS server with. */
  NATS_CA: z.string().min(1).optional(),
  /** The CA (PEM file) handed to enrolled agents for their tls:// NATS URL; default NATS_CA. */
  AGENT_NATS_CA: z.string().min(1).optional(),
  INGEST_BATCH_ROWS: z.coerce.number().int().min(1).max(100_000).default(20_000),
  INGEST_BATCH_WAIT: DurationMsSchema.default(200),
  INGEST_WRITERS: z.coerce.number().int().min(1).max(16).default(2),
  INGEST_MAX_MESSAGE_BYTES: SizeBytesSchema.default(1024 ** 2).refine((n) => n <= STREAM_MAX_MSG_BYTES, {
    message: "must be at most 8MiB: the stream refuses larger messages",
  }),
  INGEST_MAX_FUTURE_SKEW: DurationMsSchema.default(5 * 60_000),
  INGEST_LATEST_INTERVAL: DurationMsSchema.default(1000),
  INGEST_REJECTS_PER_HOST_MINUTE: z.coerce.number().int().min(0).max(100_000).default(60),
  INGEST_RETRY_MAX: DurationMsSchema.default(15_000).refine((ms) => ms >= 1000 && ms <= 300_000, {
    message: "must be between 1s and 5m",
  }),
  INGEST_ACK_WAIT: DurationMsSchema.default(60_000).refine((ms) => ms >= 1000, {
    message: "must be at least 1s",
  }),
  ROLLUP_REFRESH_INTERVAL: DurationMsSchema.default(60_000).refine((ms) => ms >= 1000, {
    message: "must be at least 1s",
  }),
  RETENTION_RAW: DurationMsSchema.default(30 * 86_400_000),
  RETENTION_HOURLY: DurationMsSchema.default(90 * 86_400_000),
  RETENTION_DAILY: DurationMsSchema.default(365 * 86_400_000),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal"]).default("info"),
  COLLECTOR_PUBLIC_URL: z
    .string()
    .regex(PUBLIC_URL_PATTERN, "must be http(s)://host[:port], no path (e.g. http://hub.lan:9101)")
    .optional(),
  AGENT_DIST_DIR: z.string().min(1).default("dist"),
  AGENT_NATS_URL: z.string().min(1).optional(),
  AGENT_NATS_TOKEN: SecretSchema.optional(),
  MCP_HTTP: z.enum(["on", "off"]).default("on"),
  /** The alert configuration file (YAML or JSON); unset: no alerts. */
  ALERTS_CONFIG: z.string().min(1).optional(),
  MCP_HTTP_SESSION_IDLE: DurationMsSchema.default(30 * 60_000).refine((ms) => ms >= 1000, {
    message: "must be at least 1s",
  }),
  MCP_HTTP_MAX_SESSIONS: z.coerce.number().int().min(1).max(1000).default(32),
  MCP_HTTP_MAX_SESSIONS_PER_CLIENT: z.coerce.number().int().min(1).max(1000).default(8),
  // Comma-separated. Hosts: names (no port) clients use for the collector besides IP literals,
  // localhost, this machine's name and COLLECTOR_PUBLIC_URL's host. Origins: browser pages allowed.
  MCP_HTTP_ALLOWED_HOSTS: z
    .string()
    .regex(/^[A-Za-z0-9.-]+(,[A-Za-z0-9.-]+)*$/, "must be host names separated by commas")
    .optional(),
  MCP_HTTP_ALLOWED_ORIGINS: z
    .string()
    .regex(
      /^https?:\/\/[A-Za-z0-9.:[\]-]+(,https?:\/\/[A-Za-z0-9.:[\]-]+)*$/,
      "must be origins (http(s)://host[:port]) separated by commas",
    )
    .optional(),
});

/** Every variable the collector reads, its MCP server's included (docker-compose.yaml is checked against it). */
export const COLLECTOR_ENV_VARS: readonly string[] = [
  ...new Set([...Object.keys(EnvSchema.shape), ...MCP_ENV_VARS]),
];

export interface CollectorConfig {
  databaseUrl: string;
  databasePoolSize: number;
  /** Acquire, statement and idle-in-transaction timeouts of the pool (DATABASE_*_TIMEOUT). */
  databaseLimits: DbLimits;
  /** SIGTERM: the longest stop() may take; what is not drained by then is redelivered later. */
  stopTimeoutMs: number;
  nats: {
    url: string;
    credsFile: string | undefined;
    token: string | undefined;
    /** A `nats init` directory: per-host credentials can be issued and revoked (collector/src/nats-auth). */
    authDir: string | undefined;
    /** A PEM CA file: the NATS server's certificate must chain to it (tls://). */
    caFile: string | undefined;
  };
  stream: StreamSettings;
  http: {
    host: string;
    port: number;
    apiToken: string;
    /** HTTPS with these PEM files; null only when COLLECTOR_TLS=off. */
    tls: { certFile: string; keyFile: string } | null;
  };
  ingest: {
    batchRows: number;
    batchWaitMs: number;
    writers: number;
    maxMessageBytes: number;
    maxFutureSkewMs: number;
    /** Shortest time between two latest_state writes; a burst's batches merge into one write. */
    latestIntervalMs: number;
    /** Oldest collected_at accepted (as an age): the raw retention. */
    maxPastAgeMs: number;
    /** Rejects stored in ingest_rejects per host and minute; the rest are only counted. */
    rejectsPerHostMinute: number;
    /** Longest nak delay (and database probe interval) while writes fail for every message. */
    retryMaxMs: number;
  };
  /** Plain PostgreSQL only: how often the collector refreshes the hourly/daily rollups. */
  rollupRefreshMs: number;
  retention: { rawMs: number; hourlyMs: number; dailyMs: number };
  logLevel: z.infer<typeof EnvSchema>["LOG_LEVEL"];
  /**
   * Enrollment: the URL install.sh is told to use (null: the one its request used), where the compiled
   * agents are, and the NATS URL and optional shared token written into enrolled agents' config.
   */
  enroll: {
    publicUrl: string | null;
    distDir: string;
    agentNatsUrl: string;
    agentNatsToken: string | null;
    /** POST /api/enroll requests per minute: per client address, and for all clients together. */
    ratePerClientPerMin: number;
    rateGlobalPerMin: number;
    /** A PEM CA file enrolled agents pin for NATS (their config's nats.ca_file); null: none handed out. */
    agentNatsCaFile: string | null;
  };
  /**
   * The MCP server mounted at /mcp (MCP_HTTP=on, the default): its own settings (the MCP_* variables
   * of mcp/src/config.ts, on the collector's database) and the HTTP sessions' limits. null when off.
   */
  mcp: {
    server: McpConfig;
    sessionIdleMs: number;
    maxSessions: number;
    maxSessionsPerClient: number;
    origin: OriginPolicy;
  } | null;
  /**
   * Alerts (ALERTS_CONFIG set): the config file, parsed at start, the MCP server's settings the
   * health check's rules judge by (thresholds, staleness), whether or not /mcp is mounted, and the
   * environment the channels' `url_env` secrets are read from.
   */
  alerts: { file: string; server: McpConfig; env: Readonly<Record<string, string>> } | null;
}

export function loadCollectorConfig(env: Record<string, string | undefined> = process.env): CollectorConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new AppError(ErrorCode.CONFIG_INVALID, `invalid collector configuration: ${problems.join("; ")}`, {
      details: { problems },
    });
  }
  const e = parsed.data;
  if (e.COLLECTOR_TLS === "on" && (e.COLLECTOR_TLS_CERT === undefined || e.COLLECTOR_TLS_KEY === undefined)) {
    throw new AppError(
      ErrorCode.CONFIG_INVALID,
      "invalid collector configuration: COLLECTOR_TLS=on (the default) needs COLLECTOR_TLS_CERT and COLLECTOR_TLS_KEY " +
        "(PEM files; `bun collector/src/cli.ts tls init DIR --san NAME` makes them), or COLLECTOR_TLS=off for plain HTTP on a trusted LAN",
      { details: { problems: ["COLLECTOR_TLS_CERT", "COLLECTOR_TLS_KEY"] } },
    );
  }
  if (e.COLLECTOR_PUBLIC_URL?.startsWith("http://") && e.COLLECTOR_TLS === "on") {
    throw new AppError(
      ErrorCode.CONFIG_INVALID,
      "invalid collector configuration: COLLECTOR_PUBLIC_URL is http:// but the collector serves HTTPS (COLLECTOR_TLS=on)",
    );
  }
  return {
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    databaseLimits: dbLimitsFromEnv(e),
    stopTimeoutMs: e.COLLECTOR_STOP_TIMEOUT,
    nats: {
      url: e.NATS_URL,
      credsFile: e.NATS_CREDS,
      token: e.NATS_TOKEN,
      authDir: e.NATS_AUTH_DIR,
      caFile: e.NATS_CA,
    },
    stream: {
      name: e.NATS_STREAM,
      consumer: e.NATS_CONSUMER,
      maxAgeMs: e.STREAM_MAX_AGE,
      maxBytes: e.STREAM_MAX_BYTES,
      duplicateWindowMs: e.STREAM_DUPLICATE_WINDOW,
      ackWaitMs: e.INGEST_ACK_WAIT,
    },
    http: {
      host: e.COLLECTOR_HOST,
      port: e.COLLECTOR_PORT,
      apiToken: e.COLLECTOR_API_TOKEN,
      tls:
        e.COLLECTOR_TLS === "off"
          ? null
          : { certFile: resolve(e.COLLECTOR_TLS_CERT ?? ""), keyFile: resolve(e.COLLECTOR_TLS_KEY ?? "") },
    },
    ingest: {
      batchRows: e.INGEST_BATCH_ROWS,
      batchWaitMs: e.INGEST_BATCH_WAIT,
      writers: e.INGEST_WRITERS,
      maxMessageBytes: e.INGEST_MAX_MESSAGE_BYTES,
      maxFutureSkewMs: e.INGEST_MAX_FUTURE_SKEW,
      latestIntervalMs: e.INGEST_LATEST_INTERVAL,
      maxPastAgeMs: e.RETENTION_RAW,
      rejectsPerHostMinute: e.INGEST_REJECTS_PER_HOST_MINUTE,
      retryMaxMs: e.INGEST_RETRY_MAX,
    },
    rollupRefreshMs: e.ROLLUP_REFRESH_INTERVAL,
    retention: { rawMs: e.RETENTION_RAW, hourlyMs: e.RETENTION_HOURLY, dailyMs: e.RETENTION_DAILY },
    logLevel: e.LOG_LEVEL,
    enroll: {
      publicUrl: e.COLLECTOR_PUBLIC_URL ?? null,
      distDir: resolve(e.AGENT_DIST_DIR),
      agentNatsUrl: e.AGENT_NATS_URL ?? e.NATS_URL,
      agentNatsToken: e.AGENT_NATS_TOKEN ?? null,
      ratePerClientPerMin: e.ENROLL_RATE_LIMIT_PER_CLIENT,
      rateGlobalPerMin: e.ENROLL_RATE_LIMIT_GLOBAL,
      agentNatsCaFile: e.AGENT_NATS_CA ?? e.NATS_CA ?? null,
    },
    alerts:
      e.ALERTS_CONFIG === undefined
        ? null
        : {
            file: resolve(e.ALERTS_CONFIG),
            server: loadMcpConfig({ ...present, DATABASE_URL: e.DATABASE_URL, LOG_LEVEL: e.LOG_LEVEL }),
            // Channels and the dead-man's switch may name a variable holding their URL (`url_env`).
            env: present as Record<string, string>,
          },
    mcp:
      e.MCP_HTTP === "off"
        ? null
        : {
            server: {
              ...loadMcpConfig({ ...present, DATABASE_URL: e.DATABASE_URL, LOG_LEVEL: e.LOG_LEVEL }),
              retention: { rawMs: e.RETENTION_RAW, hourlyMs: e.RETENTION_HOURLY, dailyMs: e.RETENTION_DAILY },
            },
            sessionIdleMs: e.MCP_HTTP_SESSION_IDLE,
            maxSessions: e.MCP_HTTP_MAX_SESSIONS,
            maxSessionsPerClient: e.MCP_HTTP_MAX_SESSIONS_PER_CLIENT,
            origin: {
              allowedHosts: allowedHosts(e.MCP_HTTP_ALLOWED_HOSTS, e.COLLECTOR_HOST, e.COLLECTOR_PUBLIC_URL),
              allowedOrigins: e.MCP_HTTP_ALLOWED_ORIGINS?.split(",") ?? [],
            },
          },
  };
}

/** Names a client may put in Host for /mcp (request-origin.ts): configured, this machine's, the public URL's. */
function allowedHosts(listed: string | undefined, bindHost: string, publicUrl: string | undefined): string[] {
  const names = new Set((listed?.split(",") ?? []).map((h) => h.toLowerCase()));
  const own = hostname().toLowerCase();
  names.add(own);
  names.add(own.split(".")[0] ?? own);
  if (/^[a-z0-9.-]+$/i.test(bindHost)) names.add(bindHost.toLowerCase());
  if (publicUrl !== undefined) names.add(new URL(publicUrl).hostname.toLowerCase());
  return [...names];
}
