import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { DockerGetOptions, DockerResponse } from "./executor.ts";

export const DEFAULT_DOCKER_SOCKET = "/var/run/docker.sock";
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

/** API paths are fixed strings plus validated ids: anything else (spaces, CR/LF, `..`) is refused. */
export const DOCKER_API_PATH = /^\/(?!.*\.\.)[A-Za-z0-9._~/?=&%-]{0,1000}$/;

/**
 * One HTTP GET on the Docker Engine API over its unix socket (LocalExecutor.dockerGet). The timeout
 * covers the whole exchange, body included; a body beyond maxBytes is cut and marked truncated.
 */
export async function dockerGetLocal(path: string, options: DockerGetOptions = {}): Promise<DockerResponse> {
  const socket = options.socket ?? DEFAULT_DOCKER_SOCKET;
  if (!DOCKER_API_PATH.test(path))
    throw new AppError(ErrorCode.INVALID_ARGUMENT, `not a Docker API path: ${path}`);
  if (!socket.startsWith("/") || socket.includes("\0")) {
    throw new AppError(ErrorCode.INVALID_ARGUMENT, `the Docker socket must be an absolute path: ${socket}`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const res = await fetch(`http://docker${path}`, { unix: socket, signal: abort.signal });
    const { bytes, truncated } = await readCapped(res, options.maxBytes ?? DEFAULT_MAX_BYTES);
    return { status: res.status, body: bytes.toString(options.encoding ?? "utf8"), truncated };
  } catch (err) {
    if (abort.signal.aborted) {
      throw new AppError(
        ErrorCode.COMMAND_TIMEOUT,
        `Docker API ${path} did not answer within ${timeoutMs} ms`,
        {
          cause: err,
          details: { socket, path, timeout_ms: timeoutMs },
        },
      );
    }
    throw socketError(socket, err);
  } finally {
    clearTimeout(timer);
  }
}

async function readCapped(res: Response, cap: number): Promise<{ bytes: Buffer; truncated: boolean }> {
  if (res.body === null) return { bytes: Buffer.alloc(0), truncated: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > cap) {
      chunks.push(value.subarray(0, cap - size));
      size = cap;
      await reader.cancel().catch(() => undefined);
      return { bytes: Buffer.concat(chunks, size), truncated: true };
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return { bytes: Buffer.concat(chunks, size), truncated: false };
}

/** What the socket's errno means for the docker domain: absent, not permitted, or nobody listening. */
export function socketError(socket: string, err: unknown): AppError {
  const errno = (err as { code?: unknown } | null)?.code;
  const details = { socket, errno: typeof errno === "string" ? errno : undefined };
  if (errno === "ENOENT" || errno === "ENOTDIR") {
    return new AppError(ErrorCode.COMMAND_MISSING, `no Docker API socket at ${socket}`, {
      cause: err,
      details,
    });
  }
  if (errno === "EACCES" || errno === "EPERM") {
    return new AppError(
      ErrorCode.UNAUTHORIZED,
      `permission denied on ${socket} (the agent's user needs the docker group, or podman's socket)`,
      { cause: err, details },
    );
  }
  const reason = typeof errno === "string" ? errno : err instanceof Error ? err.message : String(err);
  return new AppError(ErrorCode.COMMAND_FAILED, `Docker API at ${socket} did not answer: ${reason}`, {
    cause: err,
    details,
  });
}
