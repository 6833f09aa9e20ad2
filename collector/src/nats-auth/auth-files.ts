import { join } from "node:path";

/**
 * The files of a NATS auth directory (`nats init` writes them). Seeds (`*.nk`) and credentials
 * (`*.creds`) are secrets, mode 0600 in a 0700 directory; the rest holds public keys and JWTs only.
 * The collector reads `operator-signing.nk`, `infra-account-signing.nk` and `system.creds`; the two
 * identity seeds (`operator.nk`, `*-account.nk`) are never read again and may be moved offline.
 */
export const AUTH_FILES = {
  /** Public state: names, public keys, the operator and system account JWTs, the resolver directory. */
  state: "nats-auth.json",
  /** The include for nats-server: operator, system account, resolver and its preload. */
  serverConfig: "nats-server.conf",
  operatorSeed: "operator.nk",
  operatorSigningSeed: "operator-signing.nk",
  systemAccountSeed: "system-account.nk",
  infraAccountSeed: "infra-account.nk",
  infraSigningSeed: "infra-account-signing.nk",
  systemCreds: "system.creds",
  collectorCreds: "collector.creds",
} as const;

export type AuthFile = keyof typeof AUTH_FILES;

export function authPath(dir: string, file: AuthFile): string {
  return join(dir, AUTH_FILES[file]);
}

/** nats-auth.json */
export interface AuthState {
  version: 1;
  operator: { name: string; public_key: string; signing_key: string; jwt: string };
  system_account: { name: string; public_key: string; jwt: string };
  infra_account: { name: string; public_key: string; signing_key: string };
  resolver_dir: string;
}
