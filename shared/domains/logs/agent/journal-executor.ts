import type { Executor, FsStats, RunOptions, RunResult } from "@infrastructor/lib/exec/executor.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";

export type JournalAnswer = { stdout: string; truncated?: boolean; exitCode?: number } | "missing";

/**
 * For tests: this machine has journalctl but no journal, so journalctl's answers come from `answer`
 * (fed with the handwritten journal JSON); every other command and file is real.
 */
export class JournalExecutor implements Executor {
  readonly kind = "local" as const;
  readonly journalctlCalls: string[][] = [];
  private readonly local = new LocalExecutor();

  constructor(private readonly answer: (argv: readonly string[]) => JournalAnswer) {}

  async run(argv: readonly string[], options?: RunOptions): Promise<RunResult> {
    if (argv[0] !== "journalctl") return this.local.run(argv, options);
    this.journalctlCalls.push([...argv]);
    const a = this.answer(argv);
    if (a === "missing")
      throw new AppError(ErrorCode.COMMAND_MISSING, "journalctl is not installed (not found)");
    return {
      exitCode: a.exitCode ?? 0,
      stdout: a.stdout,
      stderr: "",
      truncated: a.truncated ?? false,
      durationMs: 1,
    };
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
