import { open, readdir, readFile, statfs } from "node:fs/promises";
import { constants } from "node:os";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { dockerGetLocal } from "./docker-socket.ts";
import type {
  DockerGetOptions,
  DockerResponse,
  Executor,
  FsStats,
  RunOptions,
  RunResult,
} from "./executor.ts";
import { statLocal } from "./file-stat.ts";

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

/**
 * The agent's Executor: this machine's files and processes. Commands run from argv (never a shell) in
 * their own process group, so a timeout or an output overflow kills the whole tree (`sh -c` children
 * included), not just the direct child.
 */
export class LocalExecutor implements Executor {
  readonly kind = "local" as const;

  /** The Docker Engine API over its unix socket (docker-socket.ts). */
  dockerGet(path: string, options?: DockerGetOptions): Promise<DockerResponse> {
    return dockerGetLocal(path, options);
  }

  async run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const program = argv[0];
    if (program === undefined || program === "") {
      throw new AppError(ErrorCode.INVALID_ARGUMENT, "run() needs a program in argv[0]");
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    const started = performance.now();

    let proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
    try {
      proc = Bun.spawn([...argv], { stdin: "ignore", stdout: "pipe", stderr: "pipe", detached: true });
    } catch (err) {
      throw spawnError(program, err);
    }
    const pid = proc.pid;
    const killTree = (): void => {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // ESRCH: the group is already gone, which is what we wanted.
      }
    };

    // On timeout we also stop reading: a process that left our group (setsid) could hold the pipe open.
    const stopReading = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killTree();
      stopReading.abort();
    }, timeoutMs);

    try {
      const [stdout, stderr] = await Promise.all([
        capture(proc.stdout, maxOutputBytes, stopReading.signal, killTree),
        capture(proc.stderr, maxOutputBytes, stopReading.signal, killTree),
      ]);
      await proc.exited;
      if (timedOut) {
        throw new AppError(ErrorCode.COMMAND_TIMEOUT, `${program} did not finish within ${timeoutMs} ms`, {
          details: { program, timeout_ms: timeoutMs },
        });
      }
      return {
        exitCode: exitCodeOf(proc),
        stdout: stdout.text,
        stderr: stderr.text,
        truncated: stdout.truncated || stderr.truncated,
        durationMs: performance.now() - started,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  async readFile(path: string, options: { maxBytes?: number } = {}): Promise<string> {
    try {
      if (options.maxBytes === undefined) return await readFile(path, "utf8");
      return await readHead(path, options.maxBytes);
    } catch (err) {
      throw fsError("read", path, err);
    }
  }

  async listDir(path: string): Promise<string[]> {
    try {
      return await readdir(path);
    } catch (err) {
      throw fsError("list", path, err);
    }
  }

  async statfs(path: string): Promise<FsStats> {
    try {
      const s = await statfs(path);
      // Block counts are in units of f_frsize (what df uses); f_bsize is only the preferred I/O size.
      // They are equal on most filesystems; Bun exposes frsize although Node's typings do not.
      const frsize = (s as { frsize?: number }).frsize;
      const bsize = typeof frsize === "number" && frsize > 0 ? frsize : s.bsize;
      return { bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail, files: s.files, ffree: s.ffree };
    } catch (err) {
      throw fsError("statfs", path, err);
    }
  }

  /** stat(2), for the backups domain's path probes (file-stat.ts). */
  stat(path: string): ReturnType<typeof statLocal> {
    return statLocal(path);
  }
}

interface Captured {
  text: string;
  truncated: boolean;
}

/** Reads a stream up to `cap` bytes; past that it calls onOverflow (kill) and stops reading. */
async function capture(
  stream: ReadableStream<Uint8Array>,
  cap: number,
  stop: AbortSignal,
  onOverflow: () => void,
): Promise<Captured> {
  const reader = stream.getReader();
  const cancel = (): void => void reader.cancel().catch(() => undefined);
  stop.addEventListener("abort", cancel, { once: true });
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = cap - size;
      if (value.byteLength > room) {
        chunks.push(value.subarray(0, room));
        size += room;
        truncated = true;
        onOverflow();
        cancel();
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    stop.removeEventListener("abort", cancel);
  }
  return { text: Buffer.concat(chunks, size).toString("utf8"), truncated };
}

/** Shell convention: a process killed by signal N reports 128 + N. */
function exitCodeOf(proc: Bun.Subprocess): number {
  if (proc.exitCode !== null) return proc.exitCode;
  const signal = proc.signalCode as keyof typeof constants.signals | null;
  const number = signal === null ? undefined : constants.signals[signal];
  return 128 + (number ?? 0);
}

async function readHead(path: string, maxBytes: number): Promise<string> {
  const file = await open(path, "r");
  try {
    const buffer = Buffer.alloc(maxBytes);
    let size = 0;
    while (size < maxBytes) {
      const { bytesRead } = await file.read(buffer, size, maxBytes - size, null);
      if (bytesRead === 0) break;
      size += bytesRead;
    }
    return buffer.subarray(0, size).toString("utf8");
  } finally {
    await file.close();
  }
}

function errnoOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

function spawnError(program: string, err: unknown): AppError {
  const errno = errnoOf(err);
  if (errno === "ENOENT") {
    return new AppError(ErrorCode.COMMAND_MISSING, `${program} is not installed (not found)`, {
      cause: err,
      details: { program },
    });
  }
  return new AppError(ErrorCode.COMMAND_FAILED, `${program} could not be started: ${errno ?? String(err)}`, {
    cause: err,
    details: { program },
  });
}

function fsError(op: string, path: string, err: unknown): AppError {
  const errno = errnoOf(err);
  // ENOTDIR: a path component is a file, so the thing asked for does not exist either.
  const code = errno === "ENOENT" || errno === "ENOTDIR" ? ErrorCode.NOT_FOUND : ErrorCode.READ_FAILED;
  const reason = errno ?? (err instanceof Error ? err.message : String(err));
  return new AppError(code, `${op} ${path}: ${reason}`, { cause: err, details: { path, errno } });
}
