import { join } from "node:path";
import { EnvDurationMsSchema } from "@infrastructor/shared/duration.ts";
import { z } from "zod";

/**
 * How a program reaches devices over SSH. The MCP server (live reads) and `infra` (deploy, trust a host
 * key) read the same variables, so an operator sets them once; the MCP_ prefix is historical.
 */
export interface SshSettings {
  connectTimeoutMs: number;
  /** MCP_SSH_COMMAND_TIMEOUT: for remote commands whose caller sets no timeout of its own. */
  commandTimeoutMs: number;
  idleTimeoutMs: number;
  /** known_hosts honoured before the pins; MCP_SSH_KNOWN_HOSTS (a path, or "none"), default ~/.ssh/known_hosts. */
  knownHostsPath: string | null;
  /** SSH_AUTH_SOCK, for targets without a key file (the ssh-agent holds the key). */
  agentSocket: string | null;
}

/** The SSH environment variables; a program's config spreads `.shape` into its own schema. */
export const SshEnvSchema = z.object({
  MCP_SSH_CONNECT_TIMEOUT: EnvDurationMsSchema.default(5_000),
  MCP_SSH_COMMAND_TIMEOUT: EnvDurationMsSchema.default(10_000),
  MCP_SSH_IDLE_TIMEOUT: EnvDurationMsSchema.default(60_000),
  MCP_SSH_KNOWN_HOSTS: z.string().optional(),
  SSH_AUTH_SOCK: z.string().optional(),
  HOME: z.string().optional(),
});

export function sshSettingsFromEnv(e: z.infer<typeof SshEnvSchema>): SshSettings {
  return {
    connectTimeoutMs: e.MCP_SSH_CONNECT_TIMEOUT,
    commandTimeoutMs: e.MCP_SSH_COMMAND_TIMEOUT,
    idleTimeoutMs: e.MCP_SSH_IDLE_TIMEOUT,
    knownHostsPath: knownHostsPath(e.MCP_SSH_KNOWN_HOSTS, e.HOME),
    agentSocket: e.SSH_AUTH_SOCK ?? null,
  };
}

function knownHostsPath(setting: string | undefined, home: string | undefined): string | null {
  if (setting === "none") return null;
  if (setting !== undefined) return setting;
  return home === undefined ? null : join(home, ".ssh", "known_hosts");
}
