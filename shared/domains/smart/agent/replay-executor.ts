import type { Executor, FsStats, RunResult } from "@infrastructor/lib/exec/executor.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";

export interface Replay {
  stdout: string;
  exitCode: number;
}

/**
 * Test executor for what cannot run here (disks with SMART data): answers smartctl's argv with
 * captured outputs, keyed by the argv's tail (`--scan-open -j`, or the device path), and records
 * every argv it was given. Files are not part of the smart collector's I/O.
 */
export class ReplayExecutor implements Executor {
  readonly kind = "local" as const;
  readonly calls: string[][] = [];

  constructor(private readonly answers: (argv: readonly string[]) => Replay | undefined) {}

  async run(argv: readonly string[]): Promise<RunResult> {
    this.calls.push([...argv]);
    const answer = this.answers(argv);
    if (answer === undefined) throw new AppError(ErrorCode.INTERNAL, `no replay for ${argv.join(" ")}`);
    return { ...answer, stderr: "", truncated: false, durationMs: 1 };
  }

  async readFile(path: string): Promise<string> {
    throw new AppError(ErrorCode.NOT_FOUND, `not replayed: ${path}`);
  }

  async listDir(path: string): Promise<string[]> {
    throw new AppError(ErrorCode.NOT_FOUND, `not replayed: ${path}`);
  }

  async statfs(path: string): Promise<FsStats> {
    throw new AppError(ErrorCode.NOT_FOUND, `not replayed: ${path}`);
  }
}
