import { createHash, randomBytes } from "node:crypto";
import type { Database } from "@infrastructor/lib/db/database.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { HOST_PATTERN } from "@infrastructor/shared/subjects.ts";
import type { Kysely, Transaction } from "kysely";

/** What a token looks like: a fixed prefix (greppable in leaked logs) and 32 random bytes in base64url. */
export const TOKEN_PATTERN = /^ie_[A-Za-z0-9_-]{43}$/;

export interface NewTokenOptions {
  ttlMs: number;
  maxUses: number;
  /** Only this host may enroll with it; null: any host (callers ask for it explicitly: --any-host). */
  host: string | null;
  note: string;
}

/** A token as listed: everything but the secret, which exists only in create()'s answer. */
export interface EnrollmentTokenInfo {
  id: number;
  note: string;
  host: string | null;
  max_uses: number;
  uses: number;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
  last_used_host: string | null;
  state: "usable" | "used" | "expired" | "revoked";
}

const MAX_TTL_MS = 365 * 86_400_000;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function checkNewTokenOptions(options: NewTokenOptions): NewTokenOptions {
  const problems: string[] = [];
  if (!Number.isInteger(options.ttlMs) || options.ttlMs < 60_000 || options.ttlMs > MAX_TTL_MS)
    problems.push("ttl must be between 1 minute and 365 days");
  if (!Number.isInteger(options.maxUses) || options.maxUses < 1 || options.maxUses > 100_000)
    problems.push("max uses must be a whole number from 1 to 100000");
  if (options.host !== null && !HOST_PATTERN.test(options.host))
    problems.push("host must be one lower-case DNS label ([a-z0-9_-], at most 63)");
  if (options.note.length > 200 || /[\p{Cc}]/u.test(options.note))
    problems.push("note must be at most 200 characters, no control characters");
  if (problems.length > 0) {
    throw new AppError(ErrorCode.INVALID_ARGUMENT, `invalid enrollment token: ${problems.join("; ")}`, {
      details: { problems },
    });
  }
  return options;
}

/** Makes a token; its text is returned once and only its hash is stored. */
export async function createEnrollmentToken(
  db: Kysely<Database>,
  options: NewTokenOptions,
): Promise<{ token: string; info: EnrollmentTokenInfo }> {
  const o = checkNewTokenOptions(options);
  const token = `ie_${randomBytes(32).toString("base64url")}`;
  const row = await db
    .insertInto("enrollment_tokens")
    .values({
      token_sha256: hashToken(token),
      note: o.note,
      host: o.host,
      max_uses: o.maxUses,
      expires_at: new Date(Date.now() + o.ttlMs),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token, info: describe(row) };
}

export async function listEnrollmentTokens(db: Kysely<Database>): Promise<EnrollmentTokenInfo[]> {
  const rows = await db.selectFrom("enrollment_tokens").selectAll().orderBy("id").execute();
  return rows.map(describe);
}

/** Revokes a token by id; NOT_FOUND when there is none. Revoking twice keeps the first time. */
export async function revokeEnrollmentToken(db: Kysely<Database>, id: number): Promise<EnrollmentTokenInfo> {
  const row = await db
    .updateTable("enrollment_tokens")
    .set((eb) => ({ revoked_at: eb.fn.coalesce("revoked_at", eb.fn<Date>("now")) }))
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
  if (row === undefined) throw new AppError(ErrorCode.NOT_FOUND, `no enrollment token ${id}`);
  return describe(row);
}

/**
 * Takes one use of a token for `host`, inside the caller's transaction: one UPDATE that only matches a
 * usable token allowed for this host, so concurrent enrollments serialize on the row and a single-use
 * token is used exactly once. The caller's transaction is the whole reservation: rolling it back (a
 * refused takeover) gives the use back. When nothing matched, a second read says why, with its own
 * error code, and without naming any host (a token holder learns nothing about who enrolled).
 */
export async function reserveEnrollmentToken(
  trx: Transaction<Database>,
  token: string,
  host: string,
): Promise<{ id: number }> {
  if (!TOKEN_PATTERN.test(token)) {
    throw new AppError(ErrorCode.ENROLL_TOKEN_INVALID, "unknown enrollment token (not of the form ie_...)");
  }
  const hash = hashToken(token);
  const used = await trx
    .updateTable("enrollment_tokens")
    .set((eb) => ({ uses: eb("uses", "+", 1) }))
    .where("token_sha256", "=", hash)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", (eb) => eb.fn("now"))
    .where((eb) => eb("uses", "<", eb.ref("max_uses")))
    .where((eb) => eb.or([eb("host", "is", null), eb("host", "=", host)]))
    .returning("id")
    .executeTakeFirst();
  if (used !== undefined) return used;
  const row = await trx
    .selectFrom("enrollment_tokens")
    .selectAll()
    .where("token_sha256", "=", hash)
    .executeTakeFirst();
  throw refusal(row === undefined ? null : describe(row), host);
}

/** Gives back a use taken by reserveEnrollmentToken when issuing the credentials failed afterwards. */
export async function releaseEnrollmentToken(db: Kysely<Database>, id: number): Promise<void> {
  await db
    .updateTable("enrollment_tokens")
    .set((eb) => ({ uses: eb("uses", "-", 1) }))
    .where("id", "=", id)
    .where("uses", ">", 0)
    .execute();
}

/** Records the use a completed enrollment made of its token (shown by `enroll-token list`). */
export async function markEnrollmentTokenUsed(db: Kysely<Database>, id: number, host: string): Promise<void> {
  await db
    .updateTable("enrollment_tokens")
    .set((eb) => ({ last_used_at: eb.fn<Date>("now"), last_used_host: host }))
    .where("id", "=", id)
    .execute();
}

function refusal(token: EnrollmentTokenInfo | null, host: string): AppError {
  if (token === null) return new AppError(ErrorCode.ENROLL_TOKEN_INVALID, "unknown enrollment token");
  const id = { token_id: token.id };
  switch (token.state) {
    case "revoked":
      return new AppError(
        ErrorCode.ENROLL_TOKEN_REVOKED,
        `enrollment token ${token.id} was revoked at ${token.revoked_at?.toISOString()}`,
        { details: id },
      );
    case "expired":
      return new AppError(
        ErrorCode.ENROLL_TOKEN_EXPIRED,
        `enrollment token ${token.id} expired at ${token.expires_at.toISOString()}; create a new one`,
        { details: id },
      );
    case "used":
      return new AppError(
        ErrorCode.ENROLL_TOKEN_USED,
        `enrollment token ${token.id} was already used (${token.uses} of ${token.max_uses}); create a new one`,
        { details: id },
      );
    case "usable":
      return new AppError(
        ErrorCode.ENROLL_TOKEN_WRONG_HOST,
        `enrollment token ${token.id} is not for host ${host}; create one with --host ${host}`,
        { details: id },
      );
  }
}

function describe(row: Omit<EnrollmentTokenInfo, "state"> & { token_sha256?: string }): EnrollmentTokenInfo {
  const { token_sha256: _hash, ...info } = row;
  const state: EnrollmentTokenInfo["state"] =
    info.revoked_at !== null
      ? "revoked"
      : info.expires_at.getTime() <= Date.now()
        ? "expired"
        : info.uses >= info.max_uses
          ? "used"
          : "usable";
  return { ...info, state };
}
