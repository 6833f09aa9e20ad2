import { join } from "node:path";

/**
 * The files of a NATS auth directory (`nats init` writes them). Seeds (`*.nk`) and credentials
 * (`*.creds`) are secrets, mode 0600 in a 0700 directory; the rest holds public keys and JWTs only.
 * The collector reads `operator-signing.nk`, `hosts-account-signing.nk` and `system.creds`; the identity
 * seeds (`operator.nk`, `*-account.nk`) and `infra-account-signing.nk` are read only by `nats init` and
 * `nats upgrade` and may be moved offline between them.
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
  hostsAccountSeed: "hosts-account.nk",
  hostsSigningSeed: "hosts-account-signing.nk",
  systemCreds: "system.creds",
  collectorCreds: "collector.creds",
} as const;

export type AuthFile = keyof typeof AUTH_FILES;

export function authPath(dir: string, file: AuthFile): string {
  return join(dir, AUTH_FILES[file]);
}

export interface AccountKeys {
  name: string;
  public_key: string;
  signing_key: string;
}

/**
 * nats-auth.json. Version 1 put hosts in INFRA beside JetStream; version 2 gives them their own HOSTS
 * account (account-jwt.ts says why). `nats upgrade` turns a version 1 directory into a version 2 one.
 */
export interface AuthState {
  version: 2;
  operator: { name: string; public_key: string; signing_key: string; jwt: string };
  system_account: { name: string; public_key: string; jwt: string };
  infra_account: AccountKeys;
  /** `created_at` (ISO time): host keys issued before it were INFRA users, refused since the upgrade. */
  hosts_account: AccountKeys & { created_at: string };
  resolver_dir: string;
}

export type AuthStateV1 = Omit<AuthState, "version" | "hosts_account"> & { version: 1 };
