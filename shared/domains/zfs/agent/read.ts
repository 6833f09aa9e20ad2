import { type ItemsParse, itemsResult } from "@infrastructor/lib/collect/parse-items.ts";
import { sourceError } from "@infrastructor/lib/collect/run-source.ts";
import type { Executor, RunResult } from "@infrastructor/lib/exec/executor.ts";
import { AppError, ErrorCode, toAppError } from "@infrastructor/shared/errors.ts";
import type { SourceError, SourceResult } from "@infrastructor/shared/schemas/source-result.ts";

export interface RunSourceOptions {
  timeoutMs: number;
  /** Past this, the output is cut and refused as truncated. */
  maxOutputBytes?: number;
}

/**
 * Runs one command and parses its output; every failure becomes a result, never a throw, except
 * COMMAND_MISSING, which the caller turns into `unavailable`. A non-zero exit is COMMAND_FAILED with
 * the first line of stderr (zpool and zfs print their reason there).
 */
export async function runSource<T>(
  executor: Executor,
  argv: readonly string[],
  parse: (text: string) => T,
  options: RunSourceOptions,
): Promise<SourceResult<T>> {
  let result: RunResult;
  try {
    result = await executor.run(argv, options);
  } catch (err) {
    const e = toAppError(err, ErrorCode.COMMAND_FAILED);
    if (e.code === ErrorCode.COMMAND_MISSING) throw e;
    return failed(e);
  }
  return parseOutput(argv, result, parse);
}

/**
 * runSource for a list parser: the items as the value, the items it could not read beside them. Past
 * `max` items (the schema's bound) the first `max` are sent and the rest counted in `truncated`, so a
 * host with more datasets than a message carries still reports them instead of failing the sample.
 */
export async function runItems<T>(
  executor: Executor,
  argv: readonly string[],
  parse: (text: string) => ItemsParse<T>,
  options: RunSourceOptions & { max?: number },
): Promise<SourceResult<T[]>> {
  const result = await runSource(executor, argv, parse, options);
  if (!result.ok) return result;
  const listed = itemsResult(result.value);
  const max = options.max;
  if (!listed.ok || max === undefined || listed.value.length <= max) return listed;
  return { ...listed, value: listed.value.slice(0, max), truncated: listed.value.length - max };
}

export function parseOutput<T>(
  argv: readonly string[],
  result: RunResult,
  parse: (text: string) => T,
): SourceResult<T> {
  const command = argv.slice(0, 2).join(" ");
  if (result.exitCode !== 0) {
    const reason = firstLine(result.stderr) || firstLine(result.stdout) || "no message";
    return failed(new AppError(ErrorCode.COMMAND_FAILED, `${command} exited ${result.exitCode}: ${reason}`));
  }
  if (result.truncated) {
    return failed(
      new AppError(ErrorCode.PARSE_FAILED, `${command}: output cut at the size limit (truncated)`),
    );
  }
  return parseText(result.stdout, parse);
}

export function parseText<T>(text: string, parse: (text: string) => T): SourceResult<T> {
  try {
    return { ok: true, value: parse(text) };
  } catch (err) {
    return failed(toAppError(err, ErrorCode.PARSE_FAILED));
  }
}

export function failed(e: AppError): { ok: false; error: SourceError } {
  return { ok: false, error: sourceError(e) };
}

/** zpool installed but the kernel module absent: "The ZFS modules are not loaded." */
export function modulesNotLoaded(message: string): boolean {
  return /modules are not loaded|\/dev\/zfs/i.test(message);
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0]?.trim().slice(0, 300) ?? "";
}
