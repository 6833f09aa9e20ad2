import {
  DatabaseEnvSchema,
  type DatabaseSettings,
  databaseSettingsFromEnv,
} from "@infrastructor/lib/db/database-settings.ts";
import {
  type StalenessConfig,
  StalenessEnvSchema,
  stalenessFromEnv,
} from "@infrastructor/lib/db/freshness.ts";
import {
  SshEnvSchema,
  type SshSettings,
  sshSettingsFromEnv,
} from "@infrastructor/lib/exec/ssh/ssh-settings.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { z } from "zod";
import { PIN_PATTERN } from "../../collector/src/enroll/installer-script.ts";

export interface InfraConfig {
  /** DATABASE_URL and the pool's limits (DATABASE_*_TIMEOUT), as every program reads them. */
  database: DatabaseSettings;
  /** MCP_SSH_*, SSH_AUTH_SOCK, known_hosts: the variables the MCP server reads, so one setting serves both. */
  ssh: SshSettings;
  /** MCP_STALE_FACTOR, MCP_STALE_AFTER: `status` calls stale exactly what the MCP server does. */
  staleness: StalenessConfig;
  /** The collector as this machine reaches it (COLLECTOR_URL), for enrollment tokens; null: not set. */
  collectorUrl: string | null;
  /** The collector as the hosts reach it (COLLECTOR_PUBLIC_URL, default COLLECTOR_URL): install.sh --collector. */
  collectorPublicUrl: string | null;
  /** COLLECTOR_API_TOKEN, the collector's bearer token. */
  apiToken: string | null;
  /** COLLECTOR_CA: a PEM file this machine verifies an https:// collector with (its site CA); null: system CAs. */
  collectorCaFile: string | null;
  /** COLLECTOR_PIN: the collector certificate's pin, spliced into the installer the hosts run; null: none. */
  collectorPin: string | null;
}

const URL_PATTERN = /^https?:\/\/[A-Za-z0-9.:[\]-]+$/;
const EnvSchema = z.object({
  COLLECTOR_URL: z.string().regex(URL_PATTERN, "must be http(s)://host[:port], no path").optional(),
  COLLECTOR_PUBLIC_URL: z.string().regex(URL_PATTERN, "must be http(s)://host[:port], no path").optional(),
  COLLECTOR_API_TOKEN: z.string().min(16).optional(),
  COLLECTOR_CA: z.string().min(1).optional(),
  COLLECTOR_PIN: z
    .string()
    .regex(PIN_PATTERN, "must be sha256//<base64>, as the collector logs it")
    .optional(),
  // The groups other programs read too, parsed by the lib that owns each (not by the MCP server's config).
  ...DatabaseEnvSchema.shape,
  ...SshEnvSchema.shape,
  ...StalenessEnvSchema.shape,
});

/** The one place `infra` reads its environment. */
export function loadInfraConfig(env: Record<string, string | undefined>): InfraConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new AppError(ErrorCode.CONFIG_INVALID, `invalid infra configuration: ${problems.join("; ")}`);
  }
  const e = parsed.data;
  return {
    database: databaseSettingsFromEnv(e),
    ssh: sshSettingsFromEnv(e),
    staleness: stalenessFromEnv(e),
    collectorUrl: e.COLLECTOR_URL ?? null,
    collectorPublicUrl: e.COLLECTOR_PUBLIC_URL ?? e.COLLECTOR_URL ?? null,
    apiToken: e.COLLECTOR_API_TOKEN ?? null,
    collectorCaFile: e.COLLECTOR_CA ?? null,
    collectorPin: e.COLLECTOR_PIN ?? null,
  };
}
