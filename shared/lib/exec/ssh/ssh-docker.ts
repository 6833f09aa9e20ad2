import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { DEFAULT_DOCKER_SOCKET, DOCKER_API_PATH } from "../docker-socket.ts";
import type { DockerGetOptions, DockerResponse, RunResult } from "../executor.ts";
import { checkRemotePath } from "./remote-path.ts";
import type { SshPool, SshTarget } from "./ssh-pool.ts";
import { transportFailure, transportFailureOf } from "./transport-failure.ts";

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

type RunTool = (argv: readonly string[]) => Promise<RunResult>;

/**
 * The Docker Engine API of a remote host without curl there: sshd connects to the unix socket for us
 * (direct-streamlocal) and we speak HTTP/1.0 over the channel, so the server closes after one response
 * and never chunks it. Errors carry docker-socket.ts's codes; since sshd reports only "open failed", the
 * socket is probed with test(1) to tell absent (COMMAND_MISSING) from not permitted (UNAUTHORIZED).
 */
export async function dockerGetOverSsh(
  pool: SshPool,
  target: SshTarget,
  runTool: RunTool,
  path: string,
  options: DockerGetOptions,
): Promise<DockerResponse> {
  const socket = options.socket ?? DEFAULT_DOCKER_SOCKET;
  if (!DOCKER_API_PATH.test(path))
    throw new AppError(ErrorCode.INVALID_ARGUMENT, `not a Docker API path: ${path}`);
  checkRemotePath(socket);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;

  let timer: ReturnType<typeof setTimeout> | undefined;
  let channel: Awaited<ReturnType<SshPool["forwardStreamLocal"]>> | undefined;
  let timedOut = false;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      channel?.close();
      reject(
        new AppError(ErrorCode.COMMAND_TIMEOUT, `Docker API ${path} did not answer within ${timeoutMs} ms`, {
          details: { socket, path, timeout_ms: timeoutMs, host: target.host },
        }),
      );
    }, timeoutMs);
  });
  const attempt = async (): Promise<DockerResponse> => {
    try {
      channel = await pool.forwardStreamLocal(target, socket);
    } catch (err) {
      if (err instanceof AppError && err.code !== ErrorCode.COMMAND_FAILED) throw err;
      throw await diagnose(runTool, socket, target, err);
    }
    if (timedOut) {
      channel.close();
      throw new AppError(
        ErrorCode.COMMAND_TIMEOUT,
        `Docker API ${path} did not answer within ${timeoutMs} ms`,
      );
    }
    return await exchangeHttp(channel, target, path, maxBytes, options.encoding ?? "utf8");
  };
  // The connection lost before the answer ended: once more, as SshExecutor does for commands (a GET).
  const exchange = (): Promise<DockerResponse> =>
    attempt().catch((err: unknown) => {
      if (transportFailureOf(err) !== "connection-lost" || timedOut) throw err;
      return attempt();
    });
  try {
    return await Promise.race([exchange(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function exchangeHttp(
  channel: Awaited<ReturnType<SshPool["forwardStreamLocal"]>>,
  target: SshTarget,
  path: string,
  maxBytes: number,
  // Docker's log stream is binary framing: it must reach the parser as bytes (base64), not decoded text.
  encoding: "utf8" | "base64",
): Promise<DockerResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let headerEnd = -1;
    let truncated = false;
    const finish = (): void => {
      const raw = Buffer.concat(chunks, size);
      const end = raw.indexOf("\r\n\r\n");
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(raw.subarray(0, Math.max(end, 0)).toString("latin1"));
      if (end < 0 || status?.[1] === undefined) {
        reject(
          new AppError(ErrorCode.COMMAND_FAILED, `Docker API ${path}: no HTTP response over the socket`),
        );
        return;
      }
      const body = raw.subarray(end + 4, end + 4 + maxBytes);
      resolve({ status: Number(status[1]), body: body.toString(encoding), truncated });
    };
    channel.on("data", (chunk: Buffer) => {
      if (truncated) return;
      chunks.push(chunk);
      size += chunk.byteLength;
      if (headerEnd < 0) {
        const at = Buffer.concat(chunks, size).indexOf("\r\n\r\n");
        if (at >= 0) headerEnd = at + 4;
      }
      if (headerEnd >= 0 && size - headerEnd > maxBytes) {
        truncated = true;
        channel.close();
      }
    });
    // The server closes its end after an HTTP/1.0 response; sshd passes that on as EOF, and the channel
    // would stay half open until we close our side too.
    let done = false;
    const once = (): void => {
      if (done) return;
      done = true;
      // The engine's end of the answer reaches us as EOF; a channel that ends without one (ssh2 ends
      // the streams of every channel when the connection dies) lost the rest of the answer.
      const lost = !truncated && (channel.incoming as { state?: string } | undefined)?.state !== "eof";
      channel.close();
      if (lost) {
        reject(
          transportFailure(
            target,
            "connection-lost",
            `Docker API ${path}: connection lost before the answer ended`,
          ),
        );
        return;
      }
      finish();
    };
    channel.on("end", once);
    channel.on("close", once);
    channel.on("error", (err: Error) =>
      reject(new AppError(ErrorCode.COMMAND_FAILED, `Docker API ${path}: ${err.message}`, { cause: err })),
    );
    channel.write(`GET ${path} HTTP/1.0\r\nHost: docker\r\nUser-Agent: infrastructor-mcp\r\n\r\n`);
  });
}

async function diagnose(
  runTool: RunTool,
  socket: string,
  target: SshTarget,
  cause: unknown,
): Promise<AppError> {
  const details = { socket, host: target.host };
  const exists = await runTool(["test", "-S", socket]);
  if (exists.exitCode !== 0) {
    return new AppError(ErrorCode.COMMAND_MISSING, `no Docker API socket at ${socket} on ${target.host}`, {
      cause,
      details,
    });
  }
  const writable = await runTool(["test", "-w", socket]);
  if (writable.exitCode !== 0) {
    return new AppError(
      ErrorCode.UNAUTHORIZED,
      `permission denied on ${socket} on ${target.host} (the SSH user needs the docker group, or podman's socket)`,
      { cause, details },
    );
  }
  return new AppError(
    ErrorCode.COMMAND_FAILED,
    `Docker API at ${socket} on ${target.host} did not answer: ${(cause as Error).message}`,
    { cause, details },
  );
}
