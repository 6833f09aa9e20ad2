import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { Client } from "ssh2";

/**
 * sshd runs every command through the login user's shell (`$SHELL -c CMD`). bash sources ~/.bashrc when
 * its stdin is a socket, as under sshd, so a start-up file that prints (a banner, `pyenv init` noise)
 * lands in front of every command's stdout and collectors would parse it, and one that waits (a stale
 * lock) stalls every command. Checked once per connection with a command whose exact output we know.
 */
export const SHELL_PROBE_MARKER = "infrastructor-shell-probe";
const PROBE = `printf %s ${SHELL_PROBE_MARKER}`;
const MAX_PROBE_BYTES = 4096;
const ADVICE =
  "use a monitoring user whose login shell is /bin/sh and whose shell start-up files (~/.bashrc, ~/.profile) print nothing";

export interface ProbeTarget {
  host: string;
  port: number;
  user: string;
}

export function probeLoginShell(client: Client, target: ProbeTarget, timeoutMs: number): Promise<void> {
  const where = `ssh ${target.user}@${target.host}:${target.port}`;
  const details = (extra: Record<string, unknown>): Record<string, unknown> => ({
    host: target.host,
    port: target.port,
    user: target.user,
    ...extra,
  });
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (err?: AppError): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err === undefined) resolve();
      else reject(err);
    };
    const timer = setTimeout(
      () =>
        finish(
          new AppError(
            ErrorCode.SSH_SHELL_UNUSABLE,
            `${where}: the login shell did not run a test command within ${timeoutMs} ms (slow or waiting shell start-up files?); ${ADVICE}`,
            { details: details({ timeout_ms: timeoutMs }) },
          ),
        ),
      timeoutMs,
    );
    try {
      client.exec(PROBE, (err, channel) => {
        if (err) {
          // Refusing a session channel is not about the shell: let the caller's first command report it.
          finish();
          return;
        }
        channel.end();
        const chunks: Buffer[] = [];
        let size = 0;
        channel.on("data", (chunk: Buffer) => {
          if (size < MAX_PROBE_BYTES) chunks.push(chunk);
          size += chunk.byteLength;
        });
        channel.stderr.on("data", () => undefined);
        channel.on("close", () => finish(verdict(Buffer.concat(chunks).toString("utf8"), size)));
      });
    } catch {
      finish(); // "Not connected": the connection's own error handler reports it
    }
  });

  function verdict(stdout: string, size: number): AppError | undefined {
    if (stdout === SHELL_PROBE_MARKER) return undefined;
    const extra = size - SHELL_PROBE_MARKER.length;
    const sample = stdout.replace(SHELL_PROBE_MARKER, "").slice(0, 200);
    if (stdout.includes(SHELL_PROBE_MARKER)) {
      return new AppError(
        ErrorCode.SSH_SHELL_UNUSABLE,
        `${where}: the login shell prints ${extra} bytes of its own around every command's output (${JSON.stringify(sample)}), which would corrupt what is read from the host; ${ADVICE}`,
        { details: details({ startup_output: sample }) },
      );
    }
    return new AppError(
      ErrorCode.SSH_SHELL_UNUSABLE,
      `${where}: the login shell did not run a test command (\`${PROBE}\` printed ${JSON.stringify(sample)}): a restricted shell or forced command?; ${ADVICE}`,
      { details: details({ output: sample }) },
    );
  }
}
