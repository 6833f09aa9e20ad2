import type { Executor, FsStats, RunResult } from "@infrastructor/lib/exec/executor.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";

/**
 * Test support for tools that do not run on the development machine (virsh, pvesh, qm, pct): replays
 * recorded stdout by argv and records every argv it was asked to run. A program it does not know is
 * COMMAND_MISSING, as the LocalExecutor reports it; files are read for real.
 */
export class ReplayExecutor implements Executor {
  readonly kind = "local" as const;
  readonly calls: string[][] = [];

  constructor(
    private readonly outputs: Map<string, () => string>,
    private readonly files: Map<string, string> = new Map(),
  ) {}

  async run(argv: readonly string[]): Promise<RunResult> {
    this.calls.push([...argv]);
    const output = this.outputs.get(argv.join(" "));
    if (output === undefined) {
      const known = [...this.outputs.keys()].some((k) => k.split(" ")[0] === argv[0]);
      if (!known) throw new AppError(ErrorCode.COMMAND_MISSING, `${argv[0]} is not installed (not found)`);
      return {
        exitCode: 1,
        stdout: "",
        stderr: `error: no replay for ${argv.join(" ")}`,
        truncated: false,
        durationMs: 1,
      };
    }
    return { exitCode: 0, stdout: output(), stderr: "", truncated: false, durationMs: 1 };
  }

  async readFile(path: string): Promise<string> {
    const text = this.files.get(path);
    if (text === undefined) throw new AppError(ErrorCode.NOT_FOUND, `read ${path}: ENOENT`);
    return text;
  }

  async listDir(): Promise<string[]> {
    return [];
  }

  async statfs(): Promise<FsStats> {
    throw new AppError(ErrorCode.INTERNAL, "statfs is not replayed");
  }
}
