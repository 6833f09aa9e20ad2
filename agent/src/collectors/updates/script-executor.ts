import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { Executor, FsStats, RunOptions, RunResult } from "../../lib/executor.ts";
import { LocalExecutor } from "../../lib/local-executor.ts";

export type Scripted = { exitCode: number; stdout?: string; stderr?: string } | "missing" | "timeout";

/**
 * For tests of tools that do not run on this machine (dnf, pacman, apk): commands answer from a script
 * keyed by argv (their outputs are the handwritten fixtures); anything unscripted is "not installed".
 * Files are this machine's, through the real LocalExecutor.
 */
export class ScriptExecutor implements Executor {
  readonly kind = "local" as const;
  readonly calls: string[] = [];
  private readonly local = new LocalExecutor();

  constructor(private readonly script: Record<string, Scripted>) {}

  async run(argv: readonly string[], _options?: RunOptions): Promise<RunResult> {
    const key = argv.join(" ");
    this.calls.push(key);
    const answer = this.script[key] ?? "missing";
    if (answer === "missing") {
      throw new AppError(ErrorCode.COMMAND_MISSING, `${argv[0]} is not installed (not found)`);
    }
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
}
