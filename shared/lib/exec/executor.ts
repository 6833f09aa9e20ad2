/**
 * How a collector touches a host. The same collector code runs in the agent (LocalExecutor: local files
 * and processes) and in the MCP server's live fallback (an SSH executor), so collectors never call
 * node:fs or spawn directly.
 *
 * Failures are AppErrors with a code a caller can act on: COMMAND_MISSING (the program is not installed),
 * COMMAND_TIMEOUT, READ_FAILED, NOT_FOUND (no such file). A command that runs and exits non-zero is not
 * an error here: its exit code is in the result, because for many tools (smartctl, dnf) it carries data.
 */
export interface RunOptions {
  /** Kill the command after this long; default 10 s. */
  timeoutMs?: number;
  /** Keep at most this much of stdout (and of stderr); default 4 MiB. Beyond it `truncated` is true. */
  maxOutputBytes?: number;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  truncated: boolean;
  durationMs: number;
}

/** statfs(2) figures, in blocks of `bsize` bytes and inode counts. */
export interface FsStats {
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
}

/** stat(2) of a path (symlinks followed). */
export interface FileStat {
  type: "file" | "directory" | "other";
  size_bytes: number;
  /** Last modification, ms since the epoch. */
  mtime_ms: number;
}

export interface Executor {
  readonly kind: "local" | "ssh";
  /** Runs argv[0] with the rest as arguments; never through a shell. */
  run(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
  readFile(path: string, options?: { maxBytes?: number }): Promise<string>;
  /** Entry names of a directory (not full paths), unsorted. */
  listDir(path: string): Promise<string[]>;
  statfs(path: string): Promise<FsStats>;
  /** Optional: the backups domain's "modified within N hours" probe needs it. Throws NOT_FOUND, READ_FAILED. */
  stat?(path: string): Promise<FileStat>;
  /**
   * GET `path` (e.g. `/containers/json?all=1`) of the Docker Engine API on its unix socket (docker's, or
   * podman's compatible one). Optional: an executor without it cannot reach Docker, and the docker domain
   * says so as unavailable. An SSH executor can run `curl --unix-socket SOCKET --max-time S
   * http://docker/PATH` from argv on the remote host, or forward the socket (ssh2 openssh_forwardOutStreamLocal).
   * Throws COMMAND_MISSING (no socket there), UNAUTHORIZED (not permitted to open it), COMMAND_TIMEOUT,
   * COMMAND_FAILED (nothing answers); an HTTP error status is returned, not thrown.
   */
  dockerGet?(path: string, options?: DockerGetOptions): Promise<DockerResponse>;
}

export interface DockerGetOptions {
  /** Absolute path of the API socket; default /var/run/docker.sock. */
  socket?: string;
  /** Bound on the whole exchange; default 10 s. */
  timeoutMs?: number;
  /** Keep at most this much of the body; default 16 MiB. Beyond it `truncated` is true. */
  maxBytes?: number;
  /**
   * How `body` carries the bytes received; default "utf8" (JSON answers). "base64" is for binary
   * bodies such as `/containers/{id}/logs`, whose multiplexed stream has 8-byte frame headers that a
   * UTF-8 decode would destroy. Every executor base64-encodes the raw bytes it received (an SSH
   * executor: the channel's Buffers, never text decoded from them), after the `maxBytes` cut.
   */
  encoding?: "utf8" | "base64";
}

export interface DockerResponse {
  status: number;
  /** The body as `encoding` asked: text, or the raw bytes base64-encoded. */
  body: string;
  truncated: boolean;
}
