import type {
  DockerResponse,
  Executor,
  FileStat,
  FsStats,
  RunOptions,
  RunResult,
} from "@infrastructor/lib/exec/executor.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";

/**
 * What a scripted command does: print and exit (its output cut, if `truncated`), be absent, hang until its
 * timeout (a real `sleep`), or fail at once as timed out.
 */
export type ScriptedAnswer = ScriptedOutput | "missing" | "hang" | "timeout";

export interface ScriptedOutput {
  /** Default 0. */
  exitCode?: number;
  stdout?: string;
  stderr?: string;
  truncated?: boolean;
}

/**
 * The script: answers keyed by the argv joined with spaces, or one function of the argv, for keys such as
 * the argv's tail (smartctl's device path); `undefined` from it means unscripted. A function as a keyed
 * value is asked at each call, for output that changes between polls: the text it returns is stdout, exit 0.
 */
export type Script =
  | Record<string, ScriptedAnswer | (() => string)>
  | ((argv: readonly string[]) => ScriptedAnswer | undefined);

/**
 * What an unscripted argv does. "missing": the program is not installed (COMMAND_MISSING), the default.
 * "fails": a program the script names for other arguments exits 1, as virsh does for a domain it does not
 * know; any other program is missing. "local": it runs for real (journalctl is here, its journal is not).
 */
export type Unscripted = "missing" | "fails" | "local";

export interface ScriptedOptions {
  unscripted?: Unscripted;
  /**
   * The host's files, when they must not be this machine's (/etc/hostname naming a Proxmox node): only
   * these exist. Without it, files are this machine's, read through the LocalExecutor.
   */
  files?: Record<string, string>;
  /** Docker Engine API bodies by path; any other path answers HTTP 500, as a failing engine does. */
  docker?: Record<string, string>;
}

/**
 * The one test executor for tools this machine does not have (zpool, smartctl, virsh, restic, upsc, ...):
 * commands answer from a script, their output being the captured or handwritten files; every argv it was
 * given is recorded. "hang" runs a real `sleep` through the LocalExecutor, so the timeout path is the real one.
 */
export class ScriptedExecutor implements Executor {
  readonly kind = "local" as const;
  /** Every argv run, in order (copies). */
  readonly calls: string[][] = [];
  private readonly local = new LocalExecutor();
  private readonly unscripted: Unscripted;

  constructor(
    private readonly script: Script,
    private readonly options: ScriptedOptions = {},
  ) {
    this.unscripted = options.unscripted ?? "missing";
    if (options.docker !== undefined) {
      const bodies = options.docker;
      this.dockerGet = async (path: string): Promise<DockerResponse> => {
        const body = bodies[path];
        return body === undefined
          ? { status: 500, body: `{"message":"not scripted: ${path}"}`, truncated: false }
          : { status: 200, body, truncated: false };
      };
    }
  }

  /** Present only when the options script the Docker API: without it, Docker is unavailable. */
  readonly dockerGet?: (path: string) => Promise<DockerResponse>;

  /** The calls as their argv joined with spaces (the script's keys). */
  get commands(): string[] {
    return this.calls.map((argv) => argv.join(" "));
  }

  /** The calls of one program. */
  callsOf(program: string): string[][] {
    return this.calls.filter((argv) => argv[0] === program);
  }

  async run(argv: readonly string[], options?: RunOptions): Promise<RunResult> {
    this.calls.push([...argv]);
    const answer = this.answer(argv);
    if (answer === undefined) return this.runUnscripted(argv, options);
    if (answer === "missing") throw missing(argv);
    if (answer === "hang") return this.local.run(["sleep", "600"], options);
    if (answer === "timeout") throw new AppError(ErrorCode.COMMAND_TIMEOUT, `${argv[0]} did not finish`);
    const { exitCode = 0, stdout = "", stderr = "", truncated = false } = answer;
    return { exitCode, stdout, stderr, truncated, durationMs: 1 };
  }

  private answer(argv: readonly string[]): ScriptedAnswer | undefined {
    if (typeof this.script === "function") return this.script(argv);
    const entry = this.script[argv.join(" ")];
    return typeof entry === "function" ? { exitCode: 0, stdout: entry() } : entry;
  }

  private runUnscripted(argv: readonly string[], options?: RunOptions): Promise<RunResult> {
    if (this.unscripted === "local") return this.local.run(argv, options);
    if (this.unscripted === "fails" && this.names(argv[0])) {
      const stderr = `error: not scripted: ${argv.join(" ")}`;
      return Promise.resolve({ exitCode: 1, stdout: "", stderr, truncated: false, durationMs: 1 });
    }
    throw missing(argv);
  }

  /** Whether the script has an answer for `program` with some arguments (a function script cannot say). */
  private names(program: string | undefined): boolean {
    if (typeof this.script === "function") return false;
    return Object.keys(this.script).some((key) => key.split(" ")[0] === program);
  }

  async readFile(path: string, options?: { maxBytes?: number }): Promise<string> {
    if (this.options.files === undefined) return this.local.readFile(path, options);
    const text = this.options.files[path];
    if (text === undefined) throw new AppError(ErrorCode.NOT_FOUND, `read ${path}: ENOENT`);
    return text;
  }

  async listDir(path: string): Promise<string[]> {
    if (this.options.files === undefined) return this.local.listDir(path);
    const prefix = path.endsWith("/") ? path : `${path}/`;
    const names = Object.keys(this.options.files)
      .filter((file) => file.startsWith(prefix))
      .map((file) => file.slice(prefix.length).split("/")[0] ?? "");
    return [...new Set(names)];
  }

  async statfs(path: string): Promise<FsStats> {
    if (this.options.files === undefined) return this.local.statfs(path);
    throw new AppError(ErrorCode.NOT_FOUND, `statfs ${path}: not scripted`);
  }

  async stat(path: string): Promise<FileStat> {
    if (this.options.files === undefined) return this.local.stat(path);
    const text = this.options.files[path];
    if (text === undefined) throw new AppError(ErrorCode.NOT_FOUND, `stat ${path}: ENOENT`);
    return { type: "file", size_bytes: Buffer.byteLength(text), mtime_ms: 0 };
  }
}

function missing(argv: readonly string[]): AppError {
  return new AppError(ErrorCode.COMMAND_MISSING, `${argv[0]} is not installed (not found)`, {
    details: { program: argv[0] },
  });
}
