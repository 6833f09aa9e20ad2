import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { z } from "zod";
import { PIN_PATTERN } from "../../collector/src/enroll/installer-script.ts";
import { loadMcpConfig, type McpConfig } from "../../mcp/src/config.ts";

export interface InfraConfig {
  /** The database, SSH settings (MCP_SSH_*, SSH_AUTH_SOCK) and freshness rules, shared with the MCP server. */
  mcp: McpConfig;
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
    mcp: loadMcpConfig(env),
    collectorUrl: e.COLLECTOR_URL ?? null,
    collectorPublicUrl: e.COLLECTOR_PUBLIC_URL ?? e.COLLECTOR_URL ?? null,
    apiToken: e.COLLECTOR_API_TOKEN ?? null,
    collectorCaFile: e.COLLECTOR_CA ?? null,
    collectorPin: e.COLLECTOR_PIN ?? null,
  };
}
