import { join } from "node:path";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";

export interface SshCliConfig {
  databaseUrl: string;
  /** SSH_AUTH_SOCK, for targets that use the ssh-agent. */
  agentSocket: string | null;
  /** INFRA_SSH_KNOWN_HOSTS (a path, or "none"); default ~/.ssh/known_hosts. */
  knownHostsPath: string | null;
}

/** The one place the MCP side reads its environment. */
export function loadSshCliConfig(env: Record<string, string | undefined>): SshCliConfig {
  const databaseUrl = env.DATABASE_URL;
  if (databaseUrl === undefined || databaseUrl === "") {
    throw new AppError(
      ErrorCode.CONFIG_INVALID,
      "DATABASE_URL is not set (postgres://user@host:port/database)",
    );
  }
  const known = env.INFRA_SSH_KNOWN_HOSTS;
  const home = env.HOME;
  const knownHostsPath =
    known === "none"
      ? null
      : known !== undefined && known !== ""
        ? known
        : home
          ? join(home, ".ssh", "known_hosts")
          : null;
  const agent = env.SSH_AUTH_SOCK;
  return { databaseUrl, agentSocket: agent !== undefined && agent !== "" ? agent : null, knownHostsPath };
}
