import { constants } from "node:os";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { RunResult } from "../../../agent/src/lib/executor.ts";
import type { SshPool, SshTarget } from "./ssh-pool.ts";

/**
 * Runs one quoted command line in a pooled session channel with the local executor's contract: stdin
 * at EOF, each of stdout and stderr capped (beyond the cap: killed, `truncated`), and on timeout the
 * remote process is sent KILL and the channel closed, yielding COMMAND_TIMEOUT. A signal death reports
 * 128 + N, as a local one does.
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
    const stop = (): void => {
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
        let exitCode = 255; // sshd sends no exit status when the session dies without one
        const exited = (code: number | null | undefined, signal?: string): void => {
          if (code === undefined) return; // no exit status came
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
          resolve({
            exitCode,
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

  text(): string {
    return Buffer.concat(this.chunks, this.size).toString("utf8");
  }
}
