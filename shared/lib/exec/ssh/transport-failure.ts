import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { SshTarget } from "./ssh-pool.ts";

/**
 * How the SSH transport (not the remote command) let a command down. Each of these is worth one more
 * try on a fresh channel (the pool dials anew when the connection is gone): a busy host drops sessions
 * and refuses channels now and then, and a live read must not be thrown away for it.
 * - connection-lost: the connection closed while the command ran or waited for a channel slot;
 * - no-exit-status: the session ended without an exit status or signal (sshd's session process died);
 * - killed-silently: the session was killed by a signal before it printed anything;
 * - channel-refused: sshd refused to open a session channel on a working connection (MaxSessions, fork).
 */
export type TransportFailure = "connection-lost" | "no-exit-status" | "killed-silently" | "channel-refused";

export function transportFailure(
  target: SshTarget,
  kind: TransportFailure,
  reason: string,
  cause?: unknown,
): AppError {
  // A refused channel on a connection that works is not the host being unreachable.
  const code = kind === "channel-refused" ? ErrorCode.COMMAND_FAILED : ErrorCode.HOST_UNREACHABLE;
  return new AppError(code, `ssh ${target.user}@${target.host}:${target.port}: ${reason}`, {
    cause,
    details: { host: target.host, port: target.port, reason, transport: kind },
  });
}

/** The TransportFailure an error stands for, or null when it is the command's own outcome. */
export function transportFailureOf(err: unknown): TransportFailure | null {
  if (!(err instanceof AppError)) return null;
  const kind = err.details?.transport;
  return typeof kind === "string" ? (kind as TransportFailure) : null;
}
