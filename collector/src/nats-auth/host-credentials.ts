import type { Database } from "@infrastructor/lib/db/database.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { HOST_PATTERN } from "@infrastructor/shared/subjects.ts";
import { type Kysely, sql } from "kysely";
import { hostsAccountJwt, infraAccountJwt, type Revocations } from "./account-jwt.ts";
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
  /** `refused-old-layout`: not revoked, but issued in INFRA before `nats upgrade`, so NATS refuses it. */
  status: "live" | "revoked" | "refused-old-layout";
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
 * Per-host NATS credentials: users of the HOSTS account. The database (nats_credentials) is the truth:
 * issuing and revoking commit there first, then the HOSTS account JWT is rebuilt from it (every revoked
 * key) and pushed to NATS.
 * A push that fails leaves the database right and is repeated by the next push (`revokeHost` again, or
 * any collector start), so a revocation is never forgotten.
 */
export class HostCredentials {
  constructor(private readonly deps: HostCredentialsDeps) {}

  /**
   * Mints a HOSTS user that may publish only `infra.v1.<hostname>.>`. A host has one live key: an earlier
   * one is revoked (and the revocation pushed) in the same step, so re-enrolling replaces credentials.
   * With `replace: false` (enrollment without an explicit replace) a host that has a live key is
   * refused instead, under the same per-host lock, so two racing enrollments cannot both get one.
   */
  async issueHostCredentials(
    hostname: string,
    options: { replace: boolean } = { replace: true },
  ): Promise<IssuedHostCredentials> {
    checkHostname(hostname);
    const { auth } = this.deps;
    const user = await mintUser(
      hostname,
      auth.state.hosts_account.public_key,
      auth.hostsSigner,
      hostPermissions(hostname),
    );
    const replaced = await this.deps.db.transaction().execute(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`nats_credentials:${hostname}`}))`.execute(tx);
      if (!options.replace) {
        const live = await tx
          .selectFrom("nats_credentials")
          .select("user_public_key")
          .where("hostname", "=", hostname)
          .where("revoked_at", "is", null)
          .executeTakeFirst();
        if (live !== undefined) {
          throw new AppError(ErrorCode.ENROLL_HOST_EXISTS, `${hostname} already has live credentials`);
        }
      }
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
    const rows = await this.deps.db
      .selectFrom("nats_credentials")
      .selectAll()
      .orderBy("hostname")
      .orderBy(sql`revoked_at IS NULL`) // a host's revoked keys first, its live one last
      .orderBy("issued_at")
      .execute();
    // Whole seconds: a JWT's iat (and so issued_at) is cut to the second the HOSTS account may share.
    const hostsSince = Math.floor(Date.parse(this.deps.auth.state.hosts_account.created_at) / 1000) * 1000;
    return rows.map((row) => ({
      ...row,
      status:
        row.revoked_at !== null
          ? "revoked"
          : row.issued_at.getTime() < hostsSince
            ? "refused-old-layout"
            : "live",
    }));
  }

  /**
   * Rebuilds the INFRA account JWT (its telemetry export, its current signing key only) and the HOSTS
   * account JWT (the import and every revoked key) and pushes both, INFRA first so the import finds the
   * export; returns how many keys are revoked. The collector calls it at start, so a server that lost
   * its resolver directory, was restored from an old one, or still runs the pre-upgrade accounts gets
   * the current ones back.
   */
  async pushRevocations(): Promise<{ revoked: number; serverVersion: string }> {
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
      const { infra_account: infra, hosts_account: hosts } = auth.state;
      const ca = natsCaFile ?? null;
      await pushAccountJwt(
        natsUrl,
        auth.systemCreds,
        await infraAccountJwt(infra, auth.operatorSigner),
        5_000,
        ca,
      );
      const hostsJwt = await hostsAccountJwt(hosts, infra.public_key, auth.operatorSigner, revocations);
      const { serverVersion } = await pushAccountJwt(natsUrl, auth.systemCreds, hostsJwt, 5_000, ca);
      return { revoked: rows.length, serverVersion };
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
