import { constants } from "node:os";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { RunResult } from "../executor.ts";
import type { SshPool, SshTarget } from "./ssh-pool.ts";
import { transportFailure } from "./transport-failure.ts";

const LOSS_REASON = {
  "no-exit-status": "the session ended without an exit status (connection or sshd session lost)",
  "killed-silently": "the session was killed by a signal before it printed anything",
} as const;

/**
 * A session that ended without the command's own verdict: no exit status at all (the connection dropped,
 * or sshd's session process died), or a signal before any output (killed from outside: the OOM killer, a
 * dying sshd). The command's result is unknown, not "exit 255". A command we stopped ourselves (output
 * cap) is not one of these.
 */
function transportLoss(
  exitCode: number | null,
  signalled: boolean,
  stdout: Capped,
  stderr: Capped,
): keyof typeof LOSS_REASON | null {
  if (exitCode === null) return "no-exit-status";
  if (signalled && stdout.empty() && stderr.empty()) return "killed-silently";
  return null;
}

/**
 * Runs one quoted command line in a pooled session channel with the local executor's contract: stdin
 * at EOF, each of stdout and stderr capped (beyond the cap: killed, `truncated`), and on timeout the
 * remote process is sent KILL and the channel closed, yielding COMMAND_TIMEOUT. A signal death reports
 * 128 + N, as a local one does. A session lost without the command's verdict rejects with a transport
 * failure (transport-failure.ts), which the executor retries once.
 */
export function runChannel(
  pool: SshPool,
  target: SshTarget,
  program: string,
  commandLine: string,
  timeoutMs: number,
  maxOutputBytes: number,
): Promise<Omit<RunResult, "durationMs">> {
  return new Promise((resolve, reject) => {
    let finished = false;
    let channel: Awaited<ReturnType<SshPool["exec"]>> | null = null;
    let stoppedByUs = false;
    const stop = (): void => {
      stoppedByUs = true;
      if (channel === null) return;
      try {
        channel.signal("KILL"); // OpenSSH >= 7.9 delivers it; older ones ignore it and closing suffices
      } catch {
        // The channel is already gone.
      }
      channel.close();
    };
    const timer = setTimeout(() => {
      finished = true;
      stop();
      reject(
        new AppError(ErrorCode.COMMAND_TIMEOUT, `${program} did not finish within ${timeoutMs} ms`, {
          details: { program, timeout_ms: timeoutMs, host: target.host },
        }),
      );
    }, timeoutMs);

    pool.exec(target, commandLine).then(
      (ch) => {
        if (finished) {
          ch.close(); // it opened after we gave up
          return;
        }
        channel = ch;
        ch.end(); // like stdin "ignore": the command reads EOF
        const stdout = new Capped(maxOutputBytes, stop);
        const stderr = new Capped(maxOutputBytes, stop);
        ch.on("data", (chunk: Buffer) => stdout.push(chunk));
        ch.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
        let exitCode: number | null = null; // sshd sends no exit status when the session dies without one
        let signalled = false;
        const exited = (code: number | null | undefined, signal?: string): void => {
          if (code === undefined) return; // no exit status came
          signalled = code === null;
          exitCode = code ?? 128 + (constants.signals[signal as keyof typeof constants.signals] ?? 0);
        };
        ch.on("exit", exited);
        // ssh2 parses a whole TCP read at once: for a quick command the exit status can arrive, and
        // "exit" be emitted, before this callback (a promise's) attached its listener; "close" comes
        // after the output is read and carries the same status, so it is the one to trust.
        ch.on("close", (code?: number | null, signal?: string) => {
          exited(code, signal);
          if (finished) return;
          finished = true;
          clearTimeout(timer);
          const lost = stoppedByUs ? null : transportLoss(exitCode, signalled, stdout, stderr);
          if (lost !== null) {
            reject(transportFailure(target, lost, `${program}: ${LOSS_REASON[lost]}`));
            return;
          }
          resolve({
            exitCode: exitCode ?? 255,
            stdout: stdout.text(),
            stderr: stderr.text(),
            truncated: stdout.truncated || stderr.truncated,
          });
        });
      },
      (err: unknown) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/** Keeps the first `cap` bytes; decodes once at the end so multi-byte characters are never split. */
class Capped {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;

  constructor(
    private readonly cap: number,
    private readonly onOverflow: () => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.truncated) return;
    const room = this.cap - this.size;
    if (chunk.byteLength > room) {
      this.chunks.push(chunk.subarray(0, room));
      this.size += room;
      this.truncated = true;
      this.onOverflow();
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.byteLength;
  }

  empty(): boolean {
    return this.size === 0;
  }

  text(): string {
    return Buffer.concat(this.chunks, this.size).toString("utf8");
  }
}
