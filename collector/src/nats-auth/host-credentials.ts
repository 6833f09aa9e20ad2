import type { Database } from "@infrastructor/shared/db/database.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { HOST_PATTERN } from "@infrastructor/shared/subjects.ts";
import { type Kysely, sql } from "kysely";
import { infraAccountJwt, type Revocations } from "./account-jwt.ts";
import type { NatsAuth } from "./load-nats-auth.ts";
import { mintUser } from "./mint-user.ts";
import { hostPermissions } from "./permissions.ts";
import { pushAccountJwt } from "./push-account-jwt.ts";

/** What enrollment hands to a host: its `.creds` file text and the user key it holds. */
export interface IssuedHostCredentials {
  creds: string;
  user_public_key: string;
}

export interface HostCredentialRecord {
  hostname: string;
  user_public_key: string;
  issued_at: Date;
  revoked_at: Date | null;
}

export interface HostCredentialsDeps {
  db: Kysely<Database>;
  auth: NatsAuth;
  /** NATS_URL: where revocations are pushed. */
  natsUrl: string;
  /** NATS_CA: the CA a tls:// server's certificate must chain to; absent: none. */
  natsCaFile?: string | null;
}

/** One lock for every push, across processes (collector, CLI): pushes must not overtake each other. */
const PUSH_LOCK = 0x4e415453; // "NATS"

/**
 * Per-host NATS credentials. The database (nats_credentials) is the truth: issuing and revoking commit
 * there first, then the INFRA account JWT is rebuilt from it (every revoked key) and pushed to NATS.
 * A push that fails leaves the database right and is repeated by the next push (`revokeHost` again, or
 * any collector start), so a revocation is never forgotten.
 */
export class HostCredentials {
  constructor(private readonly deps: HostCredentialsDeps) {}

  /**
   * Mints a user that may publish only `infra.v1.<hostname>.>`. A host has one live key: an earlier
   * one is revoked (and the revocation pushed) in the same step, so re-enrolling replaces credentials.
   */
  async issueHostCredentials(hostname: string): Promise<IssuedHostCredentials> {
    checkHostname(hostname);
    const { auth } = this.deps;
    const user = await mintUser(
      hostname,
      auth.state.infra_account.public_key,
      auth.infraSigner,
      hostPermissions(hostname),
    );
    const replaced = await this.deps.db.transaction().execute(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`nats_credentials:${hostname}`}))`.execute(tx);
      const old = await tx
        .updateTable("nats_credentials")
        .set({ revoked_at: new Date() })
        .where("hostname", "=", hostname)
        .where("revoked_at", "is", null)
        .returning("user_public_key")
        .execute();
      await tx
        .insertInto("nats_credentials")
        .values({ user_public_key: user.publicKey, hostname, issued_at: user.issuedAt, revoked_at: null })
        .execute();
      return old.length;
    });
    if (replaced > 0) {
      try {
        await this.pushRevocations();
      } catch (err) {
        // The new key is recorded but not handed out; issuing again replaces it, so nothing is stuck.
        const reason = err instanceof Error ? err.message : String(err);
        throw new AppError(
          ErrorCode.NATS_UNAVAILABLE,
          `${hostname}: the earlier key's revocation could not be pushed (${reason}); issue again`,
          { cause: err },
        );
      }
    }
    return { creds: user.creds, user_public_key: user.publicKey };
  }

  /**
   * Revokes the host's live key: NATS refuses it from then on and closes a connection that uses it.
   * Repeating it for an already revoked host pushes again (repairs a failed push). NOT_FOUND when the
   * host never had credentials.
   */
  async revokeHost(hostname: string): Promise<{ revoked: string[] }> {
    checkHostname(hostname);
    const revoked = await this.deps.db
      .updateTable("nats_credentials")
      .set({ revoked_at: new Date() })
      .where("hostname", "=", hostname)
      .where("revoked_at", "is", null)
      .returning("user_public_key")
      .execute();
    if (revoked.length === 0) {
      const known = await this.deps.db
        .selectFrom("nats_credentials")
        .select("user_public_key")
        .where("hostname", "=", hostname)
        .executeTakeFirst();
      if (known === undefined) {
        throw new AppError(ErrorCode.NOT_FOUND, `no NATS credentials were ever issued to ${hostname}`);
      }
    }
    try {
      await this.pushRevocations();
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new AppError(
        ErrorCode.NATS_UNAVAILABLE,
        `${hostname} is revoked in the database but NATS was not told (${reason}); run revoke again, or it is pushed at the next collector start`,
        { cause: err },
      );
    }
    return { revoked: revoked.map((r) => r.user_public_key) };
  }

  async listHostCredentials(): Promise<HostCredentialRecord[]> {
    return await this.deps.db
      .selectFrom("nats_credentials")
      .selectAll()
      .orderBy("hostname")
      .orderBy(sql`revoked_at IS NULL`) // a host's revoked keys first, its live one last
      .orderBy("issued_at")
      .execute();
  }

  /**
   * Rebuilds the INFRA account JWT from the database and pushes it; returns how many keys it revokes.
   * The collector calls it at start, so a server that lost its resolver directory (or was restored from
   * an old one) gets every revocation back.
   */
  async pushRevocations(): Promise<number> {
    const { auth, natsUrl, natsCaFile } = this.deps;
    return await this.deps.db.transaction().execute(async (tx) => {
      // Held until the push is done: two pushes built from different reads cannot land out of order.
      await sql`SELECT pg_advisory_xact_lock(${PUSH_LOCK})`.execute(tx);
      const rows = await tx
        .selectFrom("nats_credentials")
        .select(["user_public_key", "issued_at", "revoked_at"])
        .where("revoked_at", "is not", null)
        .execute();
      const revocations: Revocations = {};
      for (const row of rows) {
        // NATS refuses JWTs issued at or before this second; never earlier than the JWT's own iat,
        // even if the clock stepped back between issue and revoke.
        const at = Math.max(row.issued_at.getTime(), row.revoked_at?.getTime() ?? 0);
        revocations[row.user_public_key] = Math.floor(at / 1000);
      }
      const jwt = await infraAccountJwt(auth.state.infra_account, auth.operatorSigner, revocations);
      await pushAccountJwt(natsUrl, auth.systemCreds, jwt, 5_000, natsCaFile ?? null);
      return rows.length;
    });
  }
}

function checkHostname(hostname: string): void {
  if (!HOST_PATTERN.test(hostname)) {
    throw new AppError(
      ErrorCode.INVALID_ARGUMENT,
      `host ${JSON.stringify(hostname)} is not a valid host name (one lower-case DNS label: [a-z0-9_-], at most 63)`,
    );
  }
}
