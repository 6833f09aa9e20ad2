import { encodeAccount, type KeyPair } from "@nats-io/jwt";
import { INFRA_ACCOUNT_LIMITS, SYSTEM_ACCOUNT_LIMITS } from "./permissions.ts";

/** A revoked user key and the time from which its JWTs are refused (unix seconds; iat <= it refused). */
export type Revocations = Record<string, number>;

/**
 * The application account's JWT, rebuilt whole each time: nats-server replaces the account's claims
 * with what it is sent, so every push carries the limits, the signing key and all revocations.
 * Signed by the operator's signing key (accounts must be issued by the operator).
 */
export async function infraAccountJwt(
  account: { name: string; public_key: string; signing_key: string },
  operatorSigner: KeyPair,
  revocations: Revocations,
): Promise<string> {
  return await encodeAccount(
    account.name,
    account.public_key,
    {
      limits: { ...INFRA_ACCOUNT_LIMITS },
      signing_keys: [account.signing_key],
      ...(Object.keys(revocations).length > 0 ? { revocations } : {}),
    },
    { signer: operatorSigner },
  );
}

export async function systemAccountJwt(
  account: { name: string; public_key: string },
  operatorSigner: KeyPair,
): Promise<string> {
  return await encodeAccount(
    account.name,
    account.public_key,
    { limits: { ...SYSTEM_ACCOUNT_LIMITS } },
    { signer: operatorSigner },
  );
}
