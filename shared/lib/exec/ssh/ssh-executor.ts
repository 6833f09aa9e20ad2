import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type {
  DockerGetOptions,
  DockerResponse,
  Executor,
  FileStat,
  FsStats,
  RunOptions,
  RunResult,
} from "../executor.ts";
import { quoteArgv } from "./quote-argv.ts";
import { checkRemotePath, remoteFsError } from "./remote-path.ts";
import { runChannel } from "./run-channel.ts";
import { dockerGetOverSsh } from "./ssh-docker.ts";
import type { SshPool, SshTarget } from "./ssh-pool.ts";
import { transportFailureOf } from "./transport-failure.ts";

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_OUTPUT_BYTES = 4 * 1024 * 1024;
/** readFile without maxBytes reads whole files locally; over SSH we still refuse to buffer without end. */
const WHOLE_FILE_CAP = 64 * 1024 * 1024;

/**
 * The agent's collectors, run on another host: the Executor contract over one pooled SSH connection,
 * with LocalExecutor's error codes. File operations are coreutils/busybox commands in the C locale (their
 * error texts are parsed); the remote login shell must be POSIX (quote-argv.ts).
 */
export class SshExecutor implements Executor {
  readonly kind = "ssh" as const;
  /** Commands run a second time after a transport failure (tests and logs read it). */
  retries = 0;

  /**
   * `defaultTimeoutMs` bounds a command whose caller gave no timeout, and the executor's own file reads.
   * `commands`: "reads" when every command given to run() only reads (the live path's collectors): one
   * lost to the transport mid-run is run again. "may-write" (infra deploy) retries a command only when it
   * never started (channel refused). The executor's own file operations are reads and always retry.
   */
  constructor(
    private readonly pool: SshPool,
    private readonly target: SshTarget,
    private readonly defaultTimeoutMs: number = DEFAULT_TIMEOUT_MS,
    private readonly commands: "reads" | "may-write" = "may-write",
  ) {}

  run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return this.runRetrying(argv, options, this.commands === "reads");
  }

  private async runRetrying(
    argv: readonly string[],
    options: RunOptions,
    readOnly: boolean,
  ): Promise<RunResult> {
    const program = argv[0];
    if (program === undefined || program === "") {
      throw new AppError(ErrorCode.INVALID_ARGUMENT, "run() needs a program in argv[0]");
    }
    const started = performance.now();
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    // Closing the channel does not stop a remote command, and sshd ignored the KILL signal request in our
    // tests, so the remote side gets its own deadline a little after ours: timeout(1) kills the command's
    // whole process group (sh -c children included), as LocalExecutor does locally.
    const remoteDeadline = ((timeoutMs + 500) / 1000).toFixed(3);
    const once = (): ReturnType<typeof runChannel> =>
      runChannel(
        this.pool,
        this.target,
        program,
        quoteArgv(["timeout", "-s", "KILL", remoteDeadline, ...argv]),
        timeoutMs,
        options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
      );
    // One more try when the transport, not the command, failed (transport-failure.ts): the pool dials
    // anew if the connection is gone. Only once: a host that stays down answers HOST_UNREACHABLE promptly.
    // A command that may have run is run again only if it only reads.
    const result = await once().catch((err: unknown) => {
      const failure = transportFailureOf(err);
      if (failure === null || (!readOnly && failure !== "channel-refused")) throw err;
      this.retries += 1;
      return once();
    });
    // Locally a missing program fails to spawn; remotely the shell says so with 127 (126: not executable).
    if (result.exitCode === 127 && /not found|No such file or directory/.test(result.stderr)) {
      throw new AppError(
        ErrorCode.COMMAND_MISSING,
        `${program} is not installed on ${this.target.host} (not found)`,
        {
          details: { program, host: this.target.host },
        },
      );
    }
    if (result.exitCode === 126 && /Permission denied|cannot execute/.test(result.stderr)) {
      throw new AppError(
        ErrorCode.COMMAND_FAILED,
        `${program} could not be started on ${this.target.host}: EACCES`,
        {
          details: { program, host: this.target.host },
        },
      );
    }
    return { ...result, durationMs: performance.now() - started };
  }

  async readFile(path: string, options: { maxBytes?: number } = {}): Promise<string> {
    checkRemotePath(path);
    const { maxBytes } = options;
    // head stops reading at the cap on the remote side, so a huge file costs nothing on the wire.
    const argv =
      maxBytes === undefined
        ? ["cat", "--", path]
        : ["head", "-c", String(Math.max(0, Math.floor(maxBytes))), "--", path];
    const r = await this.tool(argv, (maxBytes ?? WHOLE_FILE_CAP) + 1);
    if (r.exitCode !== 0) throw remoteFsError("read", path, r.stderr, r.exitCode);
    if (r.truncated) {
      throw new AppError(ErrorCode.READ_FAILED, `read ${path}: larger than ${WHOLE_FILE_CAP} bytes`, {
        details: { path },
      });
    }
    return r.stdout;
  }

  async listDir(path: string): Promise<string[]> {
    checkRemotePath(path);
    // The trailing slash makes find fail with "Not a directory" on a file, as readdir(2) does (ENOTDIR),
    // and -print0 keeps names with newlines intact.
    const dir = path.endsWith("/") ? path : `${path}/`;
    const r = await this.tool(["find", dir, "-mindepth", "1", "-maxdepth", "1", "-print0"], WHOLE_FILE_CAP);
    if (r.exitCode !== 0 && !onlyVanishedEntries(r.stderr, dir))
      throw remoteFsError("list", path, r.stderr, r.exitCode);
    return r.stdout
      .split("\0")
      .filter((entry) => entry !== "")
      .map((entry) => (entry.startsWith(dir) ? entry.slice(dir.length) : entry));
  }

  async statfs(path: string): Promise<FsStats> {
    checkRemotePath(path);
    // %S is the fundamental block size (f_frsize), the unit of the block counts, as LocalExecutor uses.
    const r = await this.tool(["stat", "-f", "-c", "%S %b %f %a %c %d", "--", path], 4096);
    if (r.exitCode !== 0) throw remoteFsError("statfs", path, r.stderr, r.exitCode);
    const [bsize, blocks, bfree, bavail, files, ffree] = numbers(r.stdout, 6, "statfs", path);
    return { bsize, blocks, bfree, bavail, files, ffree } as FsStats;
  }

  async stat(path: string): Promise<FileStat> {
    checkRemotePath(path);
    // %f is the raw mode in hex (locale-proof, unlike %F); %.9Y the mtime with nanoseconds (GNU stat).
    const r = await this.tool(["stat", "-L", "-c", "%f %s %.9Y", "--", path], 4096);
    if (r.exitCode !== 0) throw remoteFsError("stat", path, r.stderr, r.exitCode);
    const [modeHex = "", size = "", mtime = ""] = r.stdout.trim().split(" ");
    const mode = Number.parseInt(modeHex, 16);
    if (!Number.isFinite(mode) || !/^\d+$/.test(size) || !/^\d+(\.\d+)?$/.test(mtime)) {
      throw new AppError(
        ErrorCode.PARSE_FAILED,
        `stat ${path}: unexpected output ${JSON.stringify(r.stdout)}`,
      );
    }
    const kind = mode & 0o170000;
    const type = kind === 0o100000 ? "file" : kind === 0o040000 ? "directory" : "other";
    return { type, size_bytes: Number(size), mtime_ms: Number(mtime) * 1000 };
  }

  dockerGet(path: string, options: DockerGetOptions = {}): Promise<DockerResponse> {
    return dockerGetOverSsh(this.pool, this.target, (argv) => this.tool(argv, 4096), path, options);
  }

  /** Our own helper commands: C locale so their error texts are the ones remoteFsError knows. */
  private tool(argv: readonly string[], maxOutputBytes: number): Promise<RunResult> {
    return this.runRetrying(
      ["env", "LC_ALL=C", ...argv],
      { timeoutMs: this.defaultTimeoutMs, maxOutputBytes },
      true,
    );
  }
}

/**
 * find exits 1 when an entry vanishes between its readdir and its stat: /proc/<pid> of a process that
 * just exited (our own concurrent commands' processes, on a busy host). readdir(2) has no such failure,
 * so a listing whose only complaints are about vanished direct children is a successful one.
 */
export function onlyVanishedEntries(stderr: string, dir: string): boolean {
  const lines = stderr.split("\n").filter((line) => line !== "");
  return (
    lines.length > 0 &&
    lines.every((line) => {
      const m = /^find: '(.+)': No such file or directory$/.exec(line);
      const entry = m?.[1];
      if (entry === undefined || !entry.startsWith(dir)) return false;
      const name = entry.slice(dir.length);
      return name !== "" && !name.includes("/"); // the listed directory itself missing is ENOENT
    })
  );
}

function numbers(text: string, count: number, op: string, path: string): number[] {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== count || parts.some((p) => !/^\d+$/.test(p))) {
    throw new AppError(ErrorCode.PARSE_FAILED, `${op} ${path}: unexpected output ${JSON.stringify(text)}`);
  }
  return parts.map(Number);
}
