import { POOL_FULL_PCT } from "@infrastructor/domains/zfs/views.ts";
import { DatabaseUrlSchema, databaseSettingsFromEnv } from "@infrastructor/lib/db/database-settings.ts";
import { type DbLimits, DbLimitsEnvSchema } from "@infrastructor/lib/db/db-limits.ts";
import { StalenessEnvSchema, stalenessFromEnv } from "@infrastructor/lib/db/freshness.ts";
import {
  SshEnvSchema,
  type SshSettings,
  sshSettingsFromEnv,
} from "@infrastructor/lib/exec/ssh/ssh-settings.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";
import { EnvDurationMsSchema } from "@infrastructor/shared/duration.ts";
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
  /** MCP_SSH_*, SSH_AUTH_SOCK, known_hosts: the settings `infra` reads too (lib/exec/ssh/ssh-settings.ts). */
  ssh: SshSettings;
  thresholds: { cpuPct: number; memPct: number; diskPct: number };
  /** A query slower than this is logged to the client (notifications/message). */
  slowQueryMs: number;
  /**
   * The collector's retention when the server runs inside the collector (the HTTP mount); null over
   * stdio, where infra://config shows the collector's defaults and says they may be overridden.
   */
  retention: { rawMs: number; hourlyMs: number; dailyMs: number } | null;
}

const pct = z.coerce.number().min(1).max(100);

// Each group is parsed by the lib that owns it (database, staleness, SSH), so `infra` reads the same
// variables without importing this file; the order of the keys is the order problems are reported in.
const EnvSchema = z.object({
  DATABASE_URL: DatabaseUrlSchema,
  MCP_DB_POOL_SIZE: z.coerce.number().int().min(1).max(64).default(4),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  ...StalenessEnvSchema.shape,
  MCP_LIVE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  MCP_LOCAL_DEVICE: z.string().max(255).optional(),
  ...SshEnvSchema.shape,
  MCP_CPU_WARN_PCT: pct.default(90),
  MCP_MEM_WARN_PCT: pct.default(90),
  // Mounts and ZFS pools alike: the one pool-full threshold (shared/domains/zfs/views.ts).
  MCP_DISK_WARN_PCT: pct.default(POOL_FULL_PCT),
  MCP_SLOW_QUERY: EnvDurationMsSchema.default(500),
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
  const database = databaseSettingsFromEnv(e);
  const staleness = stalenessFromEnv(e);
  return {
    databaseUrl: database.url,
    databasePoolSize: e.MCP_DB_POOL_SIZE,
    databaseLimits: database.limits,
    logLevel: e.LOG_LEVEL,
    staleFactor: staleness.staleFactor,
    staleAfterMs: staleness.staleAfterMs,
    liveConcurrency: e.MCP_LIVE_CONCURRENCY,
    localDevice: parseLocalDevice(e.MCP_LOCAL_DEVICE),
    ssh: sshSettingsFromEnv(e),
    thresholds: { cpuPct: e.MCP_CPU_WARN_PCT, memPct: e.MCP_MEM_WARN_PCT, diskPct: e.MCP_DISK_WARN_PCT },
    slowQueryMs: e.MCP_SLOW_QUERY,
    retention: null,
  };
}
