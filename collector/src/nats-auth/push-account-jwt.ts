import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { natsTls } from "@infrastructor/shared/nats-tls.ts";
import { connect, credsAuthenticator } from "nats";
import { CLAIMS_UPDATE_SUBJECT } from "./permissions.ts";

interface ClaimsUpdateReply {
  data?: { code?: number; message?: string };
  error?: { code?: number; description?: string };
}

/**
 * Sends an account JWT to the servers over a system-account connection (`$SYS.REQ.CLAIMS.UPDATE`).
 * A server applies it at once: connections of users it now revokes are closed, and with the full
 * resolver the JWT is stored so it outlives a server restart. One short connection per push: pushes
 * are rare (a revocation, a collector start) and a lingering system connection would be one more secret
 * in use. Returns the version the server reports (a collector start checks it, server-version.ts).
 */
export async function pushAccountJwt(
  servers: string,
  systemCreds: Uint8Array,
  accountJwt: string,
  timeoutMs = 5_000,
  caFile: string | null = null,
): Promise<{ serverVersion: string }> {
  let nc: Awaited<ReturnType<typeof connect>>;
  try {
    nc = await connect({
      servers: servers.split(",").map((s) => s.trim()),
      name: "infrastructor-claims-push",
      authenticator: credsAuthenticator(systemCreds),
      timeout: timeoutMs,
      maxReconnectAttempts: 0,
      ...natsTls(
        servers.split(",").map((s) => s.trim()),
        caFile,
      ),
    });
  } catch (err) {
    throw new AppError(
      ErrorCode.NATS_UNAVAILABLE,
      `cannot connect to NATS at ${servers} with the system account: ${(err as Error).message}`,
      { cause: err },
    );
  }
  try {
    const reply = await nc.request(CLAIMS_UPDATE_SUBJECT, new TextEncoder().encode(accountJwt), {
      timeout: timeoutMs,
    });
    const answer = JSON.parse(new TextDecoder().decode(reply.data)) as ClaimsUpdateReply;
    if (answer.error || answer.data?.code !== 200) {
      const why = answer.error?.description ?? answer.data?.message ?? "no reason given";
      throw new AppError(ErrorCode.NATS_UNAVAILABLE, `nats-server refused the account JWT: ${why}`, {
        details: { reply: answer },
      });
    }
    return { serverVersion: nc.info?.version ?? "" };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(
      ErrorCode.NATS_UNAVAILABLE,
      `pushing the account JWT to NATS failed: ${(err as Error).message}`,
      { cause: err },
    );
  } finally {
    await nc.close();
  }
}
