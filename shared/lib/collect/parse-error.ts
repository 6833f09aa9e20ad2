import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { cleanText } from "./clean-text.ts";

export interface ParseFailureWhere {
  /** 1-based line of the input that could not be read. */
  line?: number;
  /** The offending text (cut to 200 characters). */
  excerpt?: string;
}

/**
 * The one error every parser throws: which source, what was wrong, and where. `agent parse` prints
 * it as `PARSE_FAILED: <source>: <message> (line N: <excerpt>)` so a sysadmin can point at the line.
 */
export function parseFailed(
  source: string,
  message: string,
  where: ParseFailureWhere | string = {},
): AppError {
  const at = typeof where === "string" ? { excerpt: where } : where;
  const details: Record<string, unknown> = { source };
  if (at.line !== undefined) details.line = at.line;
  // The excerpt is the bad input itself: it travels in errors[] and must not carry a NUL there.
  if (at.excerpt !== undefined) details.excerpt = cleanText(at.excerpt.slice(0, 200));
  const suffix = at.line === undefined ? "" : ` (line ${at.line})`;
  return new AppError(ErrorCode.PARSE_FAILED, `${source}: ${message}${suffix}`, { details });
}
