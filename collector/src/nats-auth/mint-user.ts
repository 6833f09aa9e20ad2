import { createUser, decode, encodeUser, fmtCreds, type KeyPair } from "@nats-io/jwt";
import type { UserPermissions } from "./permissions.ts";

export interface MintedUser {
  /** A standard `.creds` file: the user JWT and its seed, as nats.js and the nats CLI read it. */
  creds: string;
  publicKey: string;
  /** The JWT's iat (whole seconds): a revocation must be at or after it to refuse this JWT. */
  issuedAt: Date;
}

/** A fresh user key and its JWT, issued by `accountPublicKey` through one of its signing keys. */
export async function mintUser(
  name: string,
  accountPublicKey: string,
  signer: KeyPair,
  permissions: UserPermissions,
): Promise<MintedUser> {
  const user = createUser();
  const jwt = await encodeUser(name, user, accountPublicKey, { ...permissions }, { signer });
  const creds = new TextDecoder().decode(fmtCreds(jwt, user));
  return { creds, publicKey: user.getPublicKey(), issuedAt: new Date(decode(jwt).iat * 1000) };
}
