import type { z } from "zod";
import { parseFailed } from "./parse-error.ts";
import { type ItemsParse, parseEachItem } from "./parse-items.ts";
import { jsonPath, parseJsonText } from "./parse-json.ts";

/** How one kind of JSON list element is read. */
export interface JsonItemSpec<S extends z.ZodType, T> {
  /** The command or request, for messages: `GET /containers/json`. */
  source: string;
  /** Where the array is in the document, for messages (`archives`); empty for a top-level array. */
  path?: string;
  /** The element's shape; a mismatch makes that element an item error. */
  element: S;
  /** The element's name for its item error, read from the raw value (null when even that is unreadable). */
  name: (raw: unknown) => string | null;
  /** The checked element as the domain's item; may throw parseFailed for what the shape cannot say. */
  convert: (element: z.infer<S>, index: number) => T;
}

/**
 * A JSON array read element by element. The text must be JSON (a cut output is not: PARSE_FAILED for
 * the whole source, since nothing says which items are missing) and `select` must find an array in it
 * (else the wrong command's output: PARSE_FAILED too). Each element of the wrong shape is an item
 * error, and the elements around it are read as if it were not there.
 */
export function parseJsonItems<S extends z.ZodType, T>(
  text: string,
  spec: JsonItemSpec<S, T>,
  select: (document: unknown) => unknown = (document) => document,
): ItemsParse<T> {
  const elements = select(parseJsonText(spec.source, text));
  if (!Array.isArray(elements)) {
    throw parseFailed(spec.source, "not a JSON array of items", { excerpt: text.slice(0, 200) });
  }
  return parseJsonElements(elements, spec);
}

/** The elements of an already parsed array, each on its own. */
export function parseJsonElements<S extends z.ZodType, T>(
  elements: readonly unknown[],
  spec: JsonItemSpec<S, T>,
): ItemsParse<T> {
  const raw = elements.map((input, index) => ({
    name: safeName(spec.name, input),
    line: null,
    text: excerptOf(input),
    input: { value: input, index },
  }));
  return parseEachItem(raw, ({ input: { value, index } }) => {
    const checked = spec.element.safeParse(value);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const at = `${spec.path ?? ""}[${index}]${jsonPath(issue?.path ?? []).replace(/^(?=[^[])/, ".")}`;
      throw parseFailed(spec.source, `unexpected shape at ${at}: ${issue?.message ?? "invalid"}`, {
        excerpt: excerptOf(value),
      });
    }
    return spec.convert(checked.data, index);
  });
}

/** The first of `keys` that holds a non-empty string (or a list starting with one) in a raw element. */
export function nameFrom(raw: unknown, ...keys: string[]): string | null {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return null;
  const record = raw as Record<string, unknown>;
  for (const key of keys) {
    const value = record[key];
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === "string" && first !== "") return first;
    if (typeof first === "number" && Number.isFinite(first)) return String(first);
  }
  return null;
}

function safeName(name: (raw: unknown) => string | null, raw: unknown): string | null {
  try {
    return name(raw);
  } catch {
    return null;
  }
}

function excerptOf(value: unknown): string {
  return (JSON.stringify(value) ?? String(value)).slice(0, 200);
}
