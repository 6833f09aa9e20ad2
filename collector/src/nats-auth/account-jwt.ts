import { SUBJECT_WILDCARD } from "@infrastructor/shared/subjects.ts";
import { encodeAccount, type KeyPair } from "@nats-io/jwt";
import { HOSTS_ACCOUNT_LIMITS, INFRA_ACCOUNT_LIMITS, SYSTEM_ACCOUNT_LIMITS } from "./permissions.ts";

/** A revoked user key and the time from which its JWTs are refused (unix seconds; iat <= it refused). */
export type Revocations = Record<string, number>;

/** The name of the service INFRA exports and HOSTS imports: the one way from a host into JetStream. */
export const TELEMETRY_SERVICE = "telemetry";

/**
 * The JetStream account's JWT (stream, consumer, the collector's user). It exports the telemetry subjects
 * as a *service*: a host's publish crosses into INFRA with its reply subject replaced by a server-made
 * `_R_` one, and JetStream's PubAck travels back into HOSTS. So whatever reply a host sets (`$JS.API.*`,
 * another host's subject), the server never publishes the ack to it inside INFRA, where the JetStream API
 * and the stream listen. Signed by the operator's signing key; rebuilt whole, as the server replaces it.
 */
export async function infraAccountJwt(
  account: { name: string; public_key: string; signing_key: string },
  operatorSigner: KeyPair,
): Promise<string> {
  return await encodeAccount(
    account.name,
    account.public_key,
    {
      limits: { ...INFRA_ACCOUNT_LIMITS },
      signing_keys: [account.signing_key],
      exports: [
        {
          name: TELEMETRY_SERVICE,
          subject: SUBJECT_WILDCARD,
          type: "service",
          // One PubAck per publish: the reply mapping is dropped as soon as it is used.
          response_type: "Singleton",
        },
      ],
    },
    { signer: operatorSigner },
  );
}

/**
 * The account every host user lives in: no JetStream, only the telemetry service imported from INFRA.
 * It carries the host revocations, so revoking pushes this JWT. Rebuilt whole on every push.
 */
export async function hostsAccountJwt(
  account: { name: string; public_key: string; signing_key: string },
  infraPublicKey: string,
  operatorSigner: KeyPair,
  revocations: Revocations,
): Promise<string> {
  return await encodeAccount(
    account.name,
    account.public_key,
    {
      limits: { ...HOSTS_ACCOUNT_LIMITS },
      signing_keys: [account.signing_key],
      imports: [
        { name: TELEMETRY_SERVICE, subject: SUBJECT_WILDCARD, account: infraPublicKey, type: "service" },
      ],
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
