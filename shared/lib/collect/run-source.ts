import type { Executor, RunOptions } from "@infrastructor/lib/exec/executor.ts";
import { AppError, ErrorCode, toAppError } from "@infrastructor/shared/errors.ts";
import type { SourceError, SourceResult } from "@infrastructor/shared/schemas/source-result.ts";
import { parseFailed } from "./parse-error.ts";

/**
 * Runs one command (argv, never a shell) and returns its stdout. A non-zero exit without output is
 * COMMAND_FAILED; output cut at the cap is PARSE_FAILED naming where it was cut, since a parser
 * could otherwise take a list cut exactly at a line end for the whole list.
 */
export async function runText(
  executor: Executor,
  argv: readonly string[],
  options: RunOptions = {},
): Promise<string> {
  const result = await executor.run(argv, { timeoutMs: 10_000, ...options });
  const command = argv.join(" ");
  if (result.truncated) {
    const lines = result.stdout.split("\n");
    throw parseFailed(command, "output truncated at the size cap", {
      line: lines.length,
      excerpt: lines[lines.length - 1] ?? "",
    });
  }
  if (result.exitCode !== 0 && result.stdout.trim() === "") {
    const stderr = result.stderr.trim().slice(0, 500);
    throw new AppError(
      ErrorCode.COMMAND_FAILED,
      `${command} exited ${result.exitCode}${stderr ? `: ${stderr}` : ""}`,
      {
        details: { exit_code: result.exitCode },
      },
    );
  }
  return result.stdout;
}

/** A source's outcome as data: whatever it throws becomes `{ ok: false, error }`. */
export async function toSourceResult<T>(task: () => Promise<T>): Promise<SourceResult<T>> {
  try {
    return { ok: true, value: await task() };
  } catch (err) {
    return { ok: false, error: sourceError(err) };
  }
}

/** Any thrown value as a source's `{ code, message }`, the message cut to what the schemas hold. */
export function sourceError(err: unknown, fallback: ErrorCode = ErrorCode.COMMAND_FAILED): SourceError {
  const appError = toAppError(err, fallback);
  return { code: appError.code, message: appError.message.slice(0, 1000) };
}

/** For tools that are optional on a host: not installed is null (absent), not a failure. */
export async function optionalSource<T>(task: () => Promise<T>): Promise<SourceResult<T> | null> {
  const result = await toSourceResult(task);
  return !result.ok && result.error.code === ErrorCode.COMMAND_MISSING ? null : result;
}
