/**
 * One error vocabulary for agent, collector and MCP server. Codes travel in telemetry (`errors[]`),
 * in HTTP error bodies and in MCP tool results, so they are part of the wire contract: add, never rename.
 */
export const ErrorCode = {
  CONFIG_INVALID: "CONFIG_INVALID",
  COMMAND_FAILED: "COMMAND_FAILED",
  COMMAND_TIMEOUT: "COMMAND_TIMEOUT",
  COMMAND_MISSING: "COMMAND_MISSING",
  READ_FAILED: "READ_FAILED",
  PARSE_FAILED: "PARSE_FAILED",
  INVALID_MESSAGE: "INVALID_MESSAGE",
  INVALID_ARGUMENT: "INVALID_ARGUMENT",
  UNAUTHORIZED: "UNAUTHORIZED",
  NOT_FOUND: "NOT_FOUND",
  HOST_UNREACHABLE: "HOST_UNREACHABLE",
  HOST_KEY_MISMATCH: "HOST_KEY_MISMATCH",
  DB_UNAVAILABLE: "DB_UNAVAILABLE",
  NATS_UNAVAILABLE: "NATS_UNAVAILABLE",
  SPOOL_DROPPED: "SPOOL_DROPPED",
  // An envelope larger than the NATS server's max_payload: sent as this error instead of its data.
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  // POST /api/enroll refusals, one per reason so an installer can say exactly what to do.
  ENROLL_TOKEN_INVALID: "ENROLL_TOKEN_INVALID",
  ENROLL_TOKEN_EXPIRED: "ENROLL_TOKEN_EXPIRED",
  ENROLL_TOKEN_USED: "ENROLL_TOKEN_USED",
  ENROLL_TOKEN_REVOKED: "ENROLL_TOKEN_REVOKED",
  ENROLL_TOKEN_WRONG_HOST: "ENROLL_TOKEN_WRONG_HOST",
  // The host already has live credentials: taking its identity over needs `replace: true`.
  ENROLL_HOST_EXISTS: "ENROLL_HOST_EXISTS",
  // Too many requests (POST /api/enroll per client or overall); `retry_after_s` in details.
  RATE_LIMITED: "RATE_LIMITED",
  // infra deploy: a host we have no agent build for; an installed agent that never reported.
  UNSUPPORTED_PLATFORM: "UNSUPPORTED_PLATFORM",
  AGENT_NOT_REPORTING: "AGENT_NOT_REPORTING",
  // SSH: the login user's shell prints at start-up (or hangs), which would corrupt every command's output.
  SSH_SHELL_UNUSABLE: "SSH_SHELL_UNUSABLE",
  // An action that changes state (acknowledge, mute) asked for a confirmation the client cannot give
  // (no elicitation), or the user declined it: nothing was changed.
  CONFIRMATION_REQUIRED: "CONFIRMATION_REQUIRED",
  CONFIRMATION_DECLINED: "CONFIRMATION_DECLINED",
  INTERNAL: "INTERNAL",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface AppErrorOptions {
  cause?: unknown;
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  override readonly name = "AppError";
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }

  toJSON(): { code: ErrorCode; message: string; details?: Record<string, unknown> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** Wraps anything thrown into an AppError, keeping AppErrors as they are. */
export function toAppError(err: unknown, fallback: ErrorCode = ErrorCode.INTERNAL): AppError {
  if (err instanceof AppError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new AppError(fallback, message, { cause: err });
}
