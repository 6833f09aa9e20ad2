import type { z } from "zod";
import { parseFailed } from "../../lib/parse-error.ts";

/**
 * JSON output checked against a zod schema. Invalid JSON (a cut output ends mid-document) names the
 * last line it reached; a document of the wrong shape names the element and field (`[3].time`).
 */
export function parseJson<S extends z.ZodType>(text: string, source: string, schema: S): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const lines = text.trimEnd().split("\n");
    const message = err instanceof Error ? err.message : String(err);
    throw parseFailed(source, `not valid JSON (${message}); cut short?`, {
      line: lines.length,
      excerpt: lines.at(-1) ?? "",
    });
  }
  const checked = schema.safeParse(value);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = (issue?.path ?? [])
      .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
      .join("");
    throw parseFailed(source, `unexpected JSON at ${where || "top level"}: ${issue?.message ?? "invalid"}`);
  }
  return checked.data;
}

/** RFC 3339 with up to nanoseconds (Go's time.Time) -> ISO with milliseconds, or null. */
export function toIsoTime(text: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}${(m[2] ?? ".000").padEnd(4, "0").slice(0, 4)}${m[3]}`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
