import type { z } from "zod";
import { parseFailed } from "../../lib/parse-error.ts";

/**
 * JSON.parse with the project's PARSE_FAILED: a truncated document (a capped or killed command) names
 * its last line, which is where it was cut.
 */
export function parseJsonText(source: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const lines = text.trimEnd().split("\n");
    const message = err instanceof Error ? err.message : String(err);
    throw parseFailed(source, `not JSON (${message})`, {
      line: Math.max(1, lines.length),
      excerpt: lines[lines.length - 1] ?? "",
    });
  }
}

/** Holds parsed JSON against the shape the tool documents; the first mismatch names its path. */
export function checkShape<S extends z.ZodType>(source: string, schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.join(".") ?? "";
  throw parseFailed(
    source,
    `unexpected shape at ${path === "" ? "the top" : path}: ${issue?.message ?? ""}`,
    {
      excerpt: path,
    },
  );
}
