import type { DockerGetOptions, DockerResponse, Executor } from "@infrastructor/lib/exec/executor.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { type LocalImage, parseImages } from "./images.ts";

/** Container ids (hex) and names as the engine reports them; nothing else reaches a request path. */
const CONTAINER_REF = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export interface DockerApiOptions {
  socket: string;
  timeoutMs: number;
}

/** GETs a Docker API path; a non-2xx answer becomes an AppError (404: NOT_FOUND) with the engine's message. */
export async function dockerGet(
  executor: Executor,
  path: string,
  options: DockerApiOptions,
): Promise<string> {
  return (await dockerGetChecked(executor, path, options)).body;
}

/** dockerGet with the executor's body options (encoding, maxBytes) and its `truncated` flag. */
export async function dockerGetChecked(
  executor: Executor,
  path: string,
  options: DockerApiOptions & Pick<DockerGetOptions, "encoding" | "maxBytes">,
): Promise<DockerResponse> {
  if (executor.dockerGet === undefined) {
    throw new AppError(ErrorCode.COMMAND_MISSING, `this ${executor.kind} executor cannot reach a Docker API`);
  }
  const { socket, timeoutMs, encoding, maxBytes } = options;
  const res = await executor.dockerGet(path, {
    socket,
    timeoutMs,
    ...(encoding === undefined ? {} : { encoding }),
    ...(maxBytes === undefined ? {} : { maxBytes }),
  });
  if (res.status >= 200 && res.status < 300) return res;
  const text = encoding === "base64" ? Buffer.from(res.body, "base64").toString("utf8") : res.body;
  const code = res.status === 404 ? ErrorCode.NOT_FOUND : ErrorCode.COMMAND_FAILED;
  throw new AppError(code, `GET ${path}: HTTP ${res.status}: ${engineMessage(text)}`, {
    details: { status: res.status, path },
  });
}

/** `/containers/{id}/...` for an id the engine gave us, checked so it cannot change the path. */
export function containerPath(id: string, suffix: "json" | "stats?stream=false"): string {
  if (!CONTAINER_REF.test(id)) {
    throw new AppError(ErrorCode.INVALID_ARGUMENT, `not a container id: ${JSON.stringify(id.slice(0, 80))}`);
  }
  return `/containers/${id}/${suffix}`;
}

/**
 * `/containers/{id}/logs` of both streams with timestamps: the last `tail` lines, from `sinceS` (unix
 * seconds) when given. The body is Docker's multiplexed stream (or a TTY's raw one): see parse-logs.ts.
 */
export function containerLogsPath(id: string, query: { tail: number; sinceS?: number | undefined }): string {
  if (!CONTAINER_REF.test(id)) {
    throw new AppError(ErrorCode.INVALID_ARGUMENT, `not a container id: ${JSON.stringify(id.slice(0, 80))}`);
  }
  const tail = Math.max(0, Math.trunc(query.tail));
  const since = query.sinceS === undefined ? "" : `&since=${Math.max(0, Math.trunc(query.sinceS))}`;
  return `/containers/${id}/logs?stdout=1&stderr=1&timestamps=1&tail=${tail}${since}`;
}

/**
 * The images present on a host, for the updates domain's "a newer image is present locally" check
 * (see hasNewerLocalImage in images.ts).
 */
export async function readLocalImages(executor: Executor, options: DockerApiOptions): Promise<LocalImage[]> {
  return parseImages(await dockerGet(executor, "/images/json", options));
}

/** Errors come as `{"message": "..."}`; anything else is cut short. */
function engineMessage(body: string): string {
  try {
    const message = (JSON.parse(body) as { message?: unknown }).message;
    if (typeof message === "string") return message.slice(0, 300);
  } catch {
    // not JSON: the raw text below
  }
  return body.trim().slice(0, 300);
}
