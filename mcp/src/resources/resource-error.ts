import { ErrorCode as AppErrorCode, toAppError } from "@infrastructor/shared/errors.ts";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";

/**
 * Resources and prompts answer with JSON-RPC errors, not tool results: an unknown device or a bad
 * name is InvalidParams, anything else InternalError. The message keeps our `CODE: message` form and
 * `data.code` carries the code, so a client sees the same codes the tools return.
 */
export function toMcpError(err: unknown): McpError {
  if (err instanceof McpError) return err;
  const error = toAppError(err);
  const invalid = error.code === AppErrorCode.NOT_FOUND || error.code === AppErrorCode.INVALID_ARGUMENT;
  return new McpError(
    invalid ? ErrorCode.InvalidParams : ErrorCode.InternalError,
    `${error.code}: ${error.message}`,
    {
      code: error.code,
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  );
}

/** Runs a resource or prompt handler, turning a thrown AppError into its JSON-RPC error. */
export async function answering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toMcpError(err);
  }
}
