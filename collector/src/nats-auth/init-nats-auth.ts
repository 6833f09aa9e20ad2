import { existsSync } from "node:fs";
import { chmod, mkdir, rename, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { createAccount, createOperator, encodeOperator, type KeyPair } from "@nats-io/jwt";
import { hostsAccountJwt, infraAccountJwt, systemAccountJwt } from "./account-jwt.ts";
import { type AuthFile, type AuthState, authPath } from "./auth-files.ts";
import { mintUser } from "./mint-user.ts";
import { collectorPermissions, systemPermissions } from "./permissions.ts";
import { serverConfig } from "./server-config.ts";

export interface InitNatsAuthOptions {
  /** Where nats-server keeps pushed account JWTs; default `<dir>/resolver`. Made absolute. */
  resolverDir?: string;
  operatorName?: string;
}

const decoder = new TextDecoder();

/**
 * One-time setup of decentralized auth: an operator (identity + signing key), a system account, the
 * INFRA account with JetStream, the HOSTS account the hosts' users live in, the server config include,
 * and credentials for the collector and for pushing revocations. Refuses a directory that already holds
 * a setup: new keys would lock every host out, so replacing them must be a deliberate `rm`.
 */
export async function initNatsAuth(dir: string, options: InitNatsAuthOptions = {}): Promise<AuthState> {
  if (existsSync(authPath(dir, "state"))) {
    throw new AppError(
      ErrorCode.CONFIG_INVALID,
      `${dir} already holds a NATS auth setup; remove it first to start over (every host must re-enroll)`,
    );
  }
  const resolverDir = resolve(options.resolverDir ?? join(dir, "resolver"));
  const operator = createOperator();
  const operatorSigner = createOperator();
  const system = createAccount();
  const infra = createAccount();
  const infraSigner = createAccount();
  const hosts = createAccount();
  const hostsSigner = createAccount();

  const systemAccount = { name: "SYS", public_key: system.getPublicKey() };
  const state: AuthState = {
    version: 2,
    operator: {
      name: options.operatorName ?? "infrastructor",
      public_key: operator.getPublicKey(),
      signing_key: operatorSigner.getPublicKey(),
      jwt: await encodeOperator(options.operatorName ?? "infrastructor", operator, {
        signing_keys: [operatorSigner.getPublicKey()],
        system_account: system.getPublicKey(),
      }),
    },
    system_account: { ...systemAccount, jwt: await systemAccountJwt(systemAccount, operatorSigner) },
    infra_account: {
      name: "INFRA",
      public_key: infra.getPublicKey(),
      signing_key: infraSigner.getPublicKey(),
    },
    hosts_account: {
      name: "HOSTS",
      public_key: hosts.getPublicKey(),
      signing_key: hostsSigner.getPublicKey(),
      created_at: new Date().toISOString(),
    },
    resolver_dir: resolverDir,
  };
  const systemUser = await mintUser("push-claims", system.getPublicKey(), system, systemPermissions());

  // A directory we create is 0700; one that exists keeps its mode (it may be /etc/infrastructor): the
  // secrets in it are 0600 either way.
  if (!existsSync(dir)) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700); // mkdir's mode is cut by the umask
  }
  await mkdir(resolverDir, { recursive: true, mode: 0o700 });
  await writeAuthSecret(dir, "operatorSeed", seedText(operator));
  await writeAuthSecret(dir, "operatorSigningSeed", seedText(operatorSigner));
  await writeAuthSecret(dir, "systemAccountSeed", seedText(system));
  await writeAuthSecret(dir, "infraAccountSeed", seedText(infra));
  await writeAuthSecret(dir, "systemCreds", systemUser.creds);
  await writeAccountFiles(dir, state, { operatorSigner, infraSigner, hosts, hostsSigner });
  return state;
}

/**
 * Writes what depends on the INFRA signing key and the HOSTS account: their seeds, the collector's
 * credentials, the server config, and last the state (its presence marks the directory as set up). Each
 * file is written beside its place and renamed over it, so `nats upgrade` can repeat it after a crash.
 */
export async function writeAccountFiles(
  dir: string,
  state: AuthState,
  keys: { operatorSigner: KeyPair; infraSigner: KeyPair; hosts: KeyPair; hostsSigner: KeyPair },
): Promise<void> {
  const collectorUser = await mintUser(
    "collector",
    state.infra_account.public_key,
    keys.infraSigner,
    collectorPermissions(),
  );
  const config = serverConfig({
    operatorJwt: state.operator.jwt,
    systemAccount: state.system_account,
    infraAccount: {
      public_key: state.infra_account.public_key,
      jwt: await infraAccountJwt(state.infra_account, keys.operatorSigner),
    },
    hostsAccount: {
      public_key: state.hosts_account.public_key,
      jwt: await hostsAccountJwt(
        state.hosts_account,
        state.infra_account.public_key,
        keys.operatorSigner,
        {},
      ),
    },
    resolverDir: state.resolver_dir,
  });
  await writeAuthSecret(dir, "infraSigningSeed", seedText(keys.infraSigner));
  await writeAuthSecret(dir, "hostsAccountSeed", seedText(keys.hosts));
  await writeAuthSecret(dir, "hostsSigningSeed", seedText(keys.hostsSigner));
  await writeAuthSecret(dir, "collectorCreds", collectorUser.creds);
  await replaceFile(dir, "serverConfig", config, 0o644);
  await replaceFile(dir, "state", `${JSON.stringify(state, null, 2)}\n`, 0o644);
}

async function writeAuthSecret(dir: string, file: AuthFile, text: string): Promise<void> {
  await replaceFile(dir, file, text, 0o600);
}

/** Written to a fresh temporary name (`wx`: never through a planted file), then renamed into place. */
async function replaceFile(dir: string, file: AuthFile, text: string, mode: number): Promise<void> {
  const target = authPath(dir, file);
  const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, text, { mode, flag: "wx" });
  await chmod(temporary, mode); // writeFile's mode is cut by the umask
  await rename(temporary, target);
}

function seedText(kp: KeyPair): string {
  return `${decoder.decode(kp.getSeed())}\n`;
}
