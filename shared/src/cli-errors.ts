import { type ErrorCode, toAppError } from "./errors.ts";

/** A command line the operator got wrong: exit 2 with the usage text. */
export class UsageError extends Error {}

/**
 * The operator CLIs' one exit convention: a UsageError or node:util parseArgs refusal prints the
 * message and the usage and exits 2; anything else prints `CODE: message` and exits 1 (2 for the
 * codes in `usageCodes`, e.g. a bad setting the operator passed in the environment).
 */
export function cliFailure(
  e: unknown,
  usage: string,
  err: (line: string) => void,
  usageCodes: readonly ErrorCode[] = [],
): number {
  if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
    err(`${(e as Error).message}\n${usage}`);
    return 2;
  }
  const app = toAppError(e);
  err(`${app.code}: ${app.message}`);
  return usageCodes.includes(app.code) ? 2 : 1;
}
