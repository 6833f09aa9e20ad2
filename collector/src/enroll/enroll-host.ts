import type { Database } from "@infrastructor/lib/db/database.ts";
import { AppError, ErrorCode, toAppError } from "@infrastructor/shared/errors.ts";
import { HOST_PATTERN } from "@infrastructor/shared/subjects.ts";
import type { Kysely, Transaction } from "kysely";
import { z } from "zod";
import { configFromObject, defaultHost } from "../../../agent/src/config.ts";
import type { Logger } from "../logger.ts";
import { type EnrollmentOutcome, recordEnrollmentEvent } from "./enrollment-events.ts";
import {
  markEnrollmentTokenUsed,
  releaseEnrollmentToken,
  reserveEnrollmentToken,
} from "./enrollment-tokens.ts";
import type { HostCredentialIssuer } from "./host-credential-issuer.ts";

/** Where the installer puts the credentials; the config handed out points the agent there. */
export const AGENT_CREDS_PATH = "/etc/infrastructor/agent.creds";
/** Where the installer puts the CA the agent verifies NATS with (tls://). */
export const AGENT_NATS_CA_PATH = "/etc/infrastructor/nats-ca.pem";

export interface EnrollSettings {
  /** The NATS URL(s) written into enrolled agents' config: an address the hosts can reach. */
  natsUrl: string;
  /** A shared NATS token handed to agents when no issuer makes per-host credentials; null: none. */
  natsToken: string | null;
  /** Makes per-host NATS credentials; null: agents get the URL (and natsToken) only. */
  issuer: HostCredentialIssuer | null;
  /** The CA (PEM text) agents pin for a tls:// NATS URL, handed out with the config; null: none. */
  natsCa?: string | null;
}

export const EnrollRequestSchema = z.strictObject({
  token: z.string().max(200),
  hostname: z.string().min(1).max(253),
  arch: z.enum(["x64", "arm64"]),
  /** /etc/os-release ID (debian, ubuntu, fedora, arch, alpine, ...). */
  os: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "must be an os-release ID"),
  /** Set when the installer put a sudo rule for exactly this smartctl in place. */
  smartctl_path: z
    .string()
    .regex(/^\/[A-Za-z0-9._/-]{1,255}$/, "must be an absolute path")
    .optional(),
  /** Take over a host name that already has live credentials (its earlier key is revoked). */
  replace: z.boolean().optional(),
});
export type EnrollRequest = z.infer<typeof EnrollRequestSchema>;

export interface EnrollResult {
  host: string;
  /** "replaced": the host had live credentials, now revoked (asked for with replace: true). */
  outcome: Exclude<EnrollmentOutcome, "refused">;
  /** agent.json, ready to be written as it is. */
  config: Record<string, unknown>;
  /** The `.creds` file's text, or null when no issuer is configured. */
  creds: string | null;
  /** The NATS CA's PEM text, for AGENT_NATS_CA_PATH, or null when NATS is not TLS. */
  ca: string | null;
  nats: { url: string; auth: "creds" | "token" | "none" };
  message: string;
}

/** Who asked, for the log line and the enrollment_events row every attempt leaves. */
export interface EnrollContext {
  /** The client's address as the HTTP server saw it; "" when unknown. */
  client: string;
  log: Logger;
}

/**
 * Enrolls one host: checks the facts before touching the token (bad input uses nothing up), then
 *  1. in one short transaction, takes a use of the token and refuses a host name that already has live
 *     credentials unless `replace` was asked for (the rollback gives the use back, and nothing of the
 *     existing host is touched);
 *  2. with no transaction open, issues the credentials: the issuer uses the database itself, and a
 *     transaction held across it would pin one pooled connection while waiting for another, which
 *     is how a handful of concurrent enrollments once wedged the whole pool;
 *  3. gives the use back when issuing failed, else records the use.
 * Every attempt that reached the token check is logged and recorded in enrollment_events.
 */
export async function enrollHost(
  db: Kysely<Database>,
  settings: EnrollSettings,
  body: unknown,
  context: EnrollContext,
): Promise<EnrollResult> {
  const request = parseRequest(body);
  const host = defaultHost(request.hostname);
  if (!HOST_PATTERN.test(host)) {
    throw new AppError(
      ErrorCode.INVALID_ARGUMENT,
      `hostname ${JSON.stringify(request.hostname)} does not give a host name ([a-z0-9_-], at most 63, from its first label)`,
    );
  }
  const replace = request.replace === true;
  const event = { hostname: host, client: context.client, replace_asked: replace };
  let tokenId: number | null = null;
  let outcome: EnrollResult["outcome"];
  let creds: string | null;
  try {
    const reserved = await db.transaction().execute(async (trx) => {
      const { id } = await reserveEnrollmentToken(trx, request.token, host);
      tokenId = id;
      // Only a token valid for this host gets this far: the answer below is no oracle of host names.
      const live = await hasLiveCredentials(trx, host);
      if (live && !replace) {
        throw new AppError(
          ErrorCode.ENROLL_HOST_EXISTS,
          `${host} is already enrolled with live credentials; to replace them (the running agent's key is revoked) enroll again with replace (install.sh --replace)`,
          { details: { token_id: id } },
        );
      }
      return { id, live };
    });
    outcome = reserved.live ? "replaced" : "enrolled";
    try {
      creds = settings.issuer === null ? null : (await settings.issuer.issue(host, { replace })).creds;
    } catch (err) {
      await releaseEnrollmentToken(db, reserved.id).catch((e: unknown) =>
        context.log.error({ err: e, token_id: reserved.id }, "enrollment: cannot give the token's use back"),
      );
      const cause = toAppError(err);
      throw new AppError(cause.code, `cannot issue NATS credentials for ${host}: ${cause.message}`, {
        cause: err,
        details: { token_id: reserved.id },
      });
    }
  } catch (err) {
    const refused = toAppError(err);
    context.log.warn(
      { host, client: context.client, code: refused.code, token_id: tokenId },
      "enrollment refused",
    );
    await recordEnrollmentEvent(db, {
      ...event,
      outcome: "refused",
      code: refused.code,
      token_id: tokenId,
    }).catch((e: unknown) => context.log.error({ err: e, host }, "enrollment: cannot record the refusal"));
    throw err;
  }
  const usedToken = tokenId as number | null;
  // The credentials are out: a failure to record is logged, never turned into a refusal the host
  // would retry with a token that is now used.
  await Promise.all([
    usedToken === null ? undefined : markEnrollmentTokenUsed(db, usedToken, host),
    recordEnrollmentEvent(db, { ...event, outcome, code: null, token_id: usedToken }),
  ]).catch((e: unknown) => context.log.error({ err: e, host }, "enrollment: cannot record the enrollment"));
  context.log[outcome === "replaced" ? "warn" : "info"](
    { host, client: context.client, token_id: usedToken, outcome },
    outcome === "replaced" ? "host re-enrolled: its earlier credentials are revoked" : "host enrolled",
  );
  const auth = creds !== null ? "creds" : settings.natsToken !== null ? "token" : "none";
  const config: Record<string, unknown> = {
    host,
    nats: {
      url: settings.natsUrl,
      ...(auth === "creds" ? { creds_file: AGENT_CREDS_PATH } : {}),
      ...(auth === "token" ? { token: settings.natsToken } : {}),
      ...(settings.natsCa ? { ca_file: AGENT_NATS_CA_PATH } : {}),
    },
    ...(request.smartctl_path === undefined
      ? {}
      : { domains: { smart: { sudo: true, smartctl_path: request.smartctl_path } } }),
  };
  configFromObject(config); // throws CONFIG_INVALID if this collector's settings make a config agents refuse
  return {
    host,
    outcome,
    config,
    creds,
    ca: settings.natsCa ?? null,
    nats: { url: settings.natsUrl, auth },
    message:
      auth === "creds"
        ? `enrolled ${host}: NATS credentials of its own, for ${AGENT_CREDS_PATH}`
        : `enrolled ${host}: no per-host NATS credentials are configured on the collector; the agent uses ${
            auth === "token" ? "the shared NATS token" : "NATS without authentication"
          }`,
  };
}

async function hasLiveCredentials(trx: Transaction<Database>, host: string): Promise<boolean> {
  const row = await trx
    .selectFrom("nats_credentials")
    .select("user_public_key")
    .where("hostname", "=", host)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return row !== undefined;
}

function parseRequest(body: unknown): EnrollRequest {
  const parsed = EnrollRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) =>
    i.code === "unrecognized_keys"
      ? `unknown field(s) ${i.keys.join(", ")}`
      : `${i.path.join(".") || "body"}: ${i.message}`,
  );
  throw new AppError(ErrorCode.INVALID_ARGUMENT, `invalid enrollment request: ${problems.join("; ")}`, {
    details: { problems },
  });
}

/**
 * The same answer as lines a POSIX shell reads with sed and base64 -d (no JSON parser on a fresh
 * host): `key value`, the config and creds base64-encoded so no byte of theirs can reach the shell.
 */
export function enrollResultLines(result: EnrollResult): string {
  const b64 = (text: string): string => Buffer.from(text).toString("base64");
  const lines = [
    "infrastructor-enroll 1",
    `host ${result.host}`,
    `nats_auth ${result.nats.auth}`,
    `config ${b64(`${JSON.stringify(result.config, null, 2)}\n`)}`,
    ...(result.creds === null ? [] : [`creds ${b64(result.creds)}`]),
    ...(result.ca === null ? [] : [`ca ${b64(result.ca)}`]),
    `message ${b64(result.message)}`,
  ];
  return `${lines.join("\n")}\n`;
}
