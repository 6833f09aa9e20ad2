import { classifyDbError } from "@infrastructor/lib/db/classify-db-error.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Logger } from "../logger.ts";

const STATUS: Partial<Record<ErrorCode, ContentfulStatusCode>> = {
  INVALID_ARGUMENT: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  ENROLL_TOKEN_INVALID: 401,
  ENROLL_TOKEN_REVOKED: 403,
  ENROLL_TOKEN_WRONG_HOST: 403,
  ENROLL_TOKEN_USED: 409,
  ENROLL_TOKEN_EXPIRED: 410,
  ENROLL_HOST_EXISTS: 409,
  RATE_LIMITED: 429,
  DB_UNAVAILABLE: 503,
  NATS_UNAVAILABLE: 503,
};

/** The one place an error becomes a response: `{ error: { code, message } }` with a status per code. */
export function createErrorHandler(log: Logger): (err: Error, c: Context) => Response {
  return function handleError(err: Error, c: Context): Response {
    if (err instanceof HTTPException) {
      if (err.status === 401) {
        const challenge = err.res?.headers.get("WWW-Authenticate");
        if (challenge) c.header("WWW-Authenticate", challenge);
        const message =
          err.message || "missing or wrong bearer token (Authorization: Bearer <COLLECTOR_API_TOKEN>)";
        return c.json({ error: { code: ErrorCode.UNAUTHORIZED, message } }, 401);
      }
      return c.json(
        { error: { code: ErrorCode.INVALID_ARGUMENT, message: err.message || "request refused" } },
        err.status,
      );
    }
    if (err instanceof AppError) {
      const retry = err.details?.retry_after_s;
      if (err.code === ErrorCode.RATE_LIMITED && typeof retry === "number")
        c.header("Retry-After", String(retry));
      return c.json({ error: err.toJSON() }, STATUS[err.code] ?? 500);
    }
    // Down or too busy: also a statement ended by statement_timeout or a session ended by
    // idle_in_transaction_session_timeout (the pool's bounds, shared/lib/db/db-limits.ts) is "retry later".
    const kind = classifyDbError(err);
    if (kind === "unavailable" || kind === "retry") {
      return c.json({ error: { code: ErrorCode.DB_UNAVAILABLE, message: "database unavailable" } }, 503);
    }
    log.error({ err }, "unhandled error in HTTP handler");
    return c.json({ error: { code: ErrorCode.INTERNAL, message: "internal error" } }, 500);
  };
}
