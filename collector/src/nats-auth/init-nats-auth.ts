import { existsSync } from "node:fs";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { createAccount, createOperator, encodeOperator, type KeyPair } from "@nats-io/jwt";
import { infraAccountJwt, systemAccountJwt } from "./account-jwt.ts";
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
 * INFRA account with JetStream, the server config include, and credentials for the collector and for
 * pushing revocations. Refuses a directory that already holds a setup: new keys would lock every host
 * out, so replacing them must be a deliberate `rm`.
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

  const systemAccount = { name: "SYS", public_key: system.getPublicKey() };
  const infraAccount = {
    name: "INFRA",
    public_key: infra.getPublicKey(),
    signing_key: infraSigner.getPublicKey(),
  };
  const state: AuthState = {
    version: 1,
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
    infra_account: infraAccount,
    resolver_dir: resolverDir,
  };
  const config = serverConfig({
    operatorJwt: state.operator.jwt,
    systemAccount: state.system_account,
    infraAccount: { ...infraAccount, jwt: await infraAccountJwt(infraAccount, operatorSigner, {}) },
    resolverDir: state.resolver_dir,
  });
  const systemUser = await mintUser("push-claims", system.getPublicKey(), system, systemPermissions());
  const collectorUser = await mintUser(
    "collector",
    infra.getPublicKey(),
    infraSigner,
    collectorPermissions(),
  );

  // A directory we create is 0700; one that exists keeps its mode (it may be /etc/infrastructor): the
  // secrets in it are 0600 either way.
  if (!existsSync(dir)) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700); // mkdir's mode is cut by the umask
  }
  await mkdir(resolverDir, { recursive: true, mode: 0o700 });
  const secret = async (file: AuthFile, text: string | Uint8Array): Promise<void> => {
    await writeFile(authPath(dir, file), text, { mode: 0o600, flag: "wx" });
  };
  await secret("operatorSeed", seedText(operator));
  await secret("operatorSigningSeed", seedText(operatorSigner));
  await secret("systemAccountSeed", seedText(system));
  await secret("infraAccountSeed", seedText(infra));
  await secret("infraSigningSeed", seedText(infraSigner));
  await secret("systemCreds", systemUser.creds);
  await secret("collectorCreds", collectorUser.creds);
  await writeFile(authPath(dir, "serverConfig"), config, { mode: 0o644, flag: "wx" });
  // Written last: its presence is what marks the directory as set up.
  await writeFile(authPath(dir, "state"), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o644, flag: "wx" });
  return state;
}

function seedText(kp: KeyPair): string {
  return `${decoder.decode(kp.getSeed())}\n`;
}
