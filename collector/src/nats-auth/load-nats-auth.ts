import { readFile } from "node:fs/promises";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { fromSeed, type KeyPair } from "@nats-io/jwt";
import { z } from "zod";
import { AUTH_FILES, type AuthFile, type AuthState, type AuthStateV1, authPath } from "./auth-files.ts";

/** What issuing and revoking need at run time, read from an auth directory. */
export interface NatsAuth {
  dir: string;
  state: AuthState;
  /** Signs the account JWTs (INFRA's export, HOSTS's import and revocations). */
  operatorSigner: KeyPair;
  /** Signs host users' JWTs (in HOSTS). The INFRA signing seed is not loaded: the collector never
   * mints a user beside JetStream. */
  hostsSigner: KeyPair;
  /** Credentials of the system-account user that pushes account JWTs. */
  systemCreds: Uint8Array;
}

const PublicKey = (prefix: string) => z.string().regex(new RegExp(`^${prefix}[A-Z2-7]{55}$`));
const Account = z.object({
  name: z.string().min(1),
  public_key: PublicKey("A"),
  signing_key: PublicKey("A"),
});
const StateV1Schema = z.object({
  version: z.literal(1),
  operator: z.object({
    name: z.string().min(1),
    public_key: PublicKey("O"),
    signing_key: PublicKey("O"),
    jwt: z.string().min(1),
  }),
  system_account: z.object({ name: z.string().min(1), public_key: PublicKey("A"), jwt: z.string().min(1) }),
  infra_account: Account,
  resolver_dir: z.string().min(1),
});
const StateSchema = StateV1Schema.extend({
  version: z.literal(2),
  hosts_account: Account.extend({ created_at: z.iso.datetime() }),
});

/** Reads and checks an auth directory; any problem is CONFIG_INVALID naming the file. */
export async function loadNatsAuth(dir: string): Promise<NatsAuth> {
  const state = await readAuthState(dir);
  if (state.version === 1) {
    throw new AppError(
      ErrorCode.CONFIG_INVALID,
      `${authPath(dir, "state")} is the version 1 layout (hosts beside JetStream in one account): run \`bun collector/src/cli.ts nats upgrade --dir ${dir}\` (deploy/README.md)`,
    );
  }
  const operatorSigner = await readSeed(dir, "operatorSigningSeed", state.operator.signing_key);
  const hostsSigner = await readSeed(dir, "hostsSigningSeed", state.hosts_account.signing_key);
  const systemCreds = new TextEncoder().encode(await read(dir, "systemCreds"));
  return { dir, state, operatorSigner, hostsSigner, systemCreds };
}

/** The state file of either layout, checked. */
export async function readAuthState(dir: string): Promise<AuthState | AuthStateV1> {
  const stateFile = authPath(dir, "state");
  try {
    const raw: unknown = JSON.parse(await read(dir, "state"));
    const version = (raw as { version?: unknown } | null)?.version;
    return version === 1 ? (StateV1Schema.parse(raw) as AuthStateV1) : (StateSchema.parse(raw) as AuthState);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(ErrorCode.CONFIG_INVALID, `${stateFile} is not a valid NATS auth state: ${err}`, {
      cause: err,
    });
  }
}

/** A seed file whose key must be the public key the state names (a mixed-up file is refused). */
export async function readSeed(dir: string, file: AuthFile, expectedPublicKey: string): Promise<KeyPair> {
  const text = (await read(dir, file)).trim();
  let kp: KeyPair;
  try {
    kp = fromSeed(new TextEncoder().encode(text));
  } catch (err) {
    throw new AppError(ErrorCode.CONFIG_INVALID, `${authPath(dir, file)} does not hold an nkey seed`, {
      cause: err,
    });
  }
  if (kp.getPublicKey() !== expectedPublicKey) {
    throw new AppError(
      ErrorCode.CONFIG_INVALID,
      `${authPath(dir, file)} holds ${kp.getPublicKey()}, not ${expectedPublicKey} of ${AUTH_FILES.state}`,
    );
  }
  return kp;
}

async function read(dir: string, file: AuthFile): Promise<string> {
  try {
    return await readFile(authPath(dir, file), "utf8");
  } catch (err) {
    throw new AppError(
      ErrorCode.CONFIG_INVALID,
      `cannot read ${authPath(dir, file)} (run \`bun collector/src/cli.ts nats init\` first?): ${(err as Error).message}`,
      { cause: err },
    );
  }
}
