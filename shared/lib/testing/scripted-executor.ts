import type { Executor, FileStat, FsStats, RunOptions, RunResult } from "@infrastructor/lib/exec/executor.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";

/**
 * What a scripted command does: print and exit, be absent, hang until its timeout (a real `sleep`), or
 * fail at once as timed out.
 */
export type ScriptedAnswer =
  | { exitCode: number; stdout?: string; stderr?: string }
  | "missing"
  | "hang"
  | "timeout";

/**
 * Test support for tools this machine does not have (zpool, zfs, restic, borg, dnf, pacman, apk): commands answer from a
 * script keyed by their argv joined with spaces, their output being the captured or handwritten files;
 * anything unscripted is not installed. "hang" runs a real `sleep` through the LocalExecutor, so the
 * timeout path is the real one. Files are this machine's, through the LocalExecutor.
 */
export class ScriptedExecutor implements Executor {
  readonly kind = "local" as const;
  readonly calls: string[] = [];
  private readonly local = new LocalExecutor();

  constructor(private readonly script: Record<string, ScriptedAnswer>) {}

  async run(argv: readonly string[], options?: RunOptions): Promise<RunResult> {
    const key = argv.join(" ");
    this.calls.push(key);
    const answer = this.script[key] ?? "missing";
    if (answer === "missing") {
      throw new AppError(ErrorCode.COMMAND_MISSING, `${argv[0]} is not installed (not found)`, {
        details: { program: argv[0] },
      });
    }
    if (answer === "hang") return this.local.run(["sleep", "600"], options);
    if (answer === "timeout") throw new AppError(ErrorCode.COMMAND_TIMEOUT, `${argv[0]} did not finish`);
    const { exitCode, stdout = "", stderr = "" } = answer;
    return { exitCode, stdout, stderr, truncated: false, durationMs: 1 };
  }

  readFile(path: string, options?: { maxBytes?: number }): Promise<string> {
    return this.local.readFile(path, options);
  }

  listDir(path: string): Promise<string[]> {
    return this.local.listDir(path);
  }

  statfs(path: string): Promise<FsStats> {
    return this.local.statfs(path);
  }

  stat(path: string): Promise<FileStat> {
    return this.local.stat(path);
  }
}
