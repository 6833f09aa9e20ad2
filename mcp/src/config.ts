import { join } from "node:path";
import { POOL_FULL_PCT } from "@infrastructor/domains/zfs/views.ts";
import { type DbLimits, DbLimitsEnvSchema, dbLimitsFromEnv } from "@infrastructor/lib/db/db-limits.ts";
import { type Domain, isKnownDomain } from "@infrastructor/shared/domains.ts";
import { parseDurationMs } from "@infrastructor/shared/duration.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { z } from "zod";
import { type LocalDeviceSetting, parseLocalDevice } from "./live/local-device.ts";

/**
 * The MCP server's settings, from the environment, parsed once at start. A bad value names its
 * variable. Freshness: a domain's stored state is stale after `staleFactor` x its collection interval
 * unless MCP_STALE_AFTER names a duration for it ("docker=2m,system=45s").
 */
export interface McpConfig {
  databaseUrl: string;
  databasePoolSize: number;
  /** Acquire, statement and idle-in-transaction timeouts of its pool (DATABASE_*_TIMEOUT). */
  databaseLimits: DbLimits;
  logLevel: string;
  staleFactor: number;
  staleAfterMs: Partial<Record<Domain, number>>;
  liveConcurrency: number;
  /** MCP_LOCAL_DEVICE: the stored device that is this machine, read without SSH (live/local-device.ts). */
  localDevice: LocalDeviceSetting;
  ssh: {
    connectTimeoutMs: number;
    /** MCP_SSH_COMMAND_TIMEOUT: for remote commands whose caller sets no timeout of its own. */
    commandTimeoutMs: number;
    idleTimeoutMs: number;
    /** known_hosts honoured before the pins; MCP_SSH_KNOWN_HOSTS (a path, or "none"), default ~/.ssh/known_hosts. */
    knownHostsPath: string | null;
    /** SSH_AUTH_SOCK, for targets without a key file (the ssh-agent holds the key). */
    agentSocket: string | null;
  };
  thresholds: { cpuPct: number; memPct: number; diskPct: number };
  /** A query slower than this is logged to the client (notifications/message). */
  slowQueryMs: number;
  /**
   * The collector's retention when the server runs inside the collector (the HTTP mount); null over
   * stdio, where infra://config shows the collector's defaults and says they may be overridden.
   */
  retention: { rawMs: number; hourlyMs: number; dailyMs: number } | null;
}

const duration = z.string().transform((text, ctx) => {
  const ms = parseDurationMs(text);
  if (ms === null) {
    ctx.addIssue({ code: "custom", message: `not a duration: ${text} (use e.g. 500ms, 5s, 2m)` });
    return z.NEVER;
  }
  return ms;
});
const pct = z.coerce.number().min(1).max(100);

const EnvSchema = z.object({
  DATABASE_URL: z
    .string({ error: "is not set: the PostgreSQL URL the collector writes to (postgres://...)" })
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL"),
  MCP_DB_POOL_SIZE: z.coerce.number().int().min(1).max(64).default(4),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  MCP_STALE_FACTOR: z.coerce.number().min(1).max(100).default(3),
  MCP_STALE_AFTER: z.string().default(""),
  MCP_LIVE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  MCP_LOCAL_DEVICE: z.string().max(255).optional(),
  MCP_SSH_CONNECT_TIMEOUT: duration.default(5_000),
  MCP_SSH_COMMAND_TIMEOUT: duration.default(10_000),
  MCP_SSH_IDLE_TIMEOUT: duration.default(60_000),
  MCP_SSH_KNOWN_HOSTS: z.string().optional(),
  SSH_AUTH_SOCK: z.string().optional(),
  HOME: z.string().optional(),
  MCP_CPU_WARN_PCT: pct.default(90),
  MCP_MEM_WARN_PCT: pct.default(90),
  // Mounts and ZFS pools alike: the one pool-full threshold (shared/domains/zfs/views.ts).
  MCP_DISK_WARN_PCT: pct.default(POOL_FULL_PCT),
  MCP_SLOW_QUERY: duration.default(500),
  ...DbLimitsEnvSchema.shape,
});

/** Every variable the MCP server reads. */
export const MCP_ENV_VARS: readonly string[] = Object.keys(EnvSchema.shape);

export function loadMcpConfig(env: Record<string, string | undefined> = process.env): McpConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new AppError(ErrorCode.CONFIG_INVALID, `invalid MCP server configuration: ${problems.join("; ")}`, {
      details: { problems },
    });
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.MCP_DB_POOL_SIZE,
    databaseLimits: dbLimitsFromEnv(e),
    logLevel: e.LOG_LEVEL,
    staleFactor: e.MCP_STALE_FACTOR,
    staleAfterMs: parseStaleAfter(e.MCP_STALE_AFTER),
    liveConcurrency: e.MCP_LIVE_CONCURRENCY,
    localDevice: parseLocalDevice(e.MCP_LOCAL_DEVICE),
    ssh: {
      connectTimeoutMs: e.MCP_SSH_CONNECT_TIMEOUT,
      commandTimeoutMs: e.MCP_SSH_COMMAND_TIMEOUT,
      idleTimeoutMs: e.MCP_SSH_IDLE_TIMEOUT,
      knownHostsPath: knownHostsPath(e.MCP_SSH_KNOWN_HOSTS, e.HOME),
      agentSocket: e.SSH_AUTH_SOCK ?? null,
    },
    thresholds: { cpuPct: e.MCP_CPU_WARN_PCT, memPct: e.MCP_MEM_WARN_PCT, diskPct: e.MCP_DISK_WARN_PCT },
    slowQueryMs: e.MCP_SLOW_QUERY,
    retention: null,
  };
}

function knownHostsPath(setting: string | undefined, home: string | undefined): string | null {
  if (setting === "none") return null;
  if (setting !== undefined) return setting;
  return home === undefined ? null : join(home, ".ssh", "known_hosts");
}

/** "docker=2m,system=45s" -> { docker: 120000, system: 45000 }; an unknown domain is an error. */
export function parseStaleAfter(text: string): Partial<Record<Domain, number>> {
  const out: Partial<Record<Domain, number>> = {};
  for (const item of text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")) {
    const [domain, value] = item.split("=", 2);
    const ms = value === undefined ? null : parseDurationMs(value);
    if (domain === undefined || !isKnownDomain(domain) || ms === null) {
      throw new AppError(
        ErrorCode.CONFIG_INVALID,
        `MCP_STALE_AFTER: "${item}" is not DOMAIN=DURATION with a known domain (e.g. docker=2m)`,
      );
    }
    out[domain] = ms;
  }
  return out;
}
