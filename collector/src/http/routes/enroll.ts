import type { Database } from "@infrastructor/lib/db/database.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Kysely } from "kysely";
import { type EnrollSettings, enrollHost, enrollResultLines } from "../../enroll/enroll-host.ts";
import type { Logger } from "../../logger.ts";
import { clientAddress, type RateLimiter, rateLimit } from "../rate-limit.ts";

/**
 * POST /api/enroll: `{token, hostname, arch, os[, smartctl_path][, replace]}` -> the agent's config and
 * NATS credentials. Authorized by the enrollment token in the body, not the API token. JSON by default;
 * `Accept: text/plain` gives the line format install.sh reads. Rate-limited per client address and
 * overall before anything is parsed: a token holder cannot probe quickly.
 */
export function enrollRoutes(
  db: Kysely<Database>,
  settings: EnrollSettings,
  limiter: RateLimiter,
  log: Logger,
): Hono {
  // Open to anyone who can reach the collector: a small body limit before any parsing.
  return new Hono().post("/enroll", rateLimit(limiter), bodyLimit({ maxSize: 16 * 1024 }), async (c) => {
    const body: unknown = await c.req.json().catch(() => {
      throw new AppError(ErrorCode.INVALID_ARGUMENT, "the enrollment request must be a JSON object");
    });
    const result = await enrollHost(db, settings, body, { client: clientAddress(c), log });
    if ((c.req.header("Accept") ?? "").includes("text/plain")) return c.text(enrollResultLines(result));
    return c.json(result);
  });
}
