import { type AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

/** The structured error every tool may return instead of its answer. */
export const ToolErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** `isError: true`, text `CODE: message`, and the code in structuredContent (the SDK would keep only text). */
export function errorResult(error: AppError): CallToolResult {
  const details = error.details === undefined ? {} : { details: error.details };
  return {
    isError: true,
    content: [{ type: "text", text: `${error.code}: ${error.message}` }],
    structuredContent: { error: { code: error.code, message: error.message, ...details } },
  };
}

/** Input that failed the tool's schema: INVALID_ARGUMENT naming each bad argument. */
export function invalidArguments(
  tool: string,
  error: z.ZodError,
): { code: ErrorCode; message: string; details: Record<string, unknown> } {
  const problems = error.issues.map((issue) => {
    const where = issue.path.join(".");
    if (issue.code === "unrecognized_keys") return `unknown argument(s) ${issue.keys.join(", ")}`;
    return `${where === "" ? "arguments" : where}: ${issue.message}`;
  });
  return {
    code: ErrorCode.INVALID_ARGUMENT,
    message: `${tool}: ${problems.join("; ")}`,
    details: { problems },
  };
}
