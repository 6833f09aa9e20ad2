import type { AppError } from "@infrastructor/shared/errors.ts";
import type { z } from "zod";
import { type ParseFailureWhere, parseFailed } from "./parse-error.ts";

/**
 * The agent's one way to read a command's JSON output. JSON.parse says neither where nor why, so a
 * syntax error (a cut output included) is located by `locateSyntaxError` and named by its line; a
 * document of the wrong shape is named by the JSON path of its first mismatch, e.g. `[3].time`.
 */
export function parseJson<S extends z.ZodType>(
  source: string,
  text: string,
  schema: S,
  locate?: LocateShapeError,
): z.infer<S> {
  return checkShape(source, schema, parseJsonText(source, text), locate);
}

/** Given the path of a mismatch, the line of the input to look at (when the caller can tell). */
export type LocateShapeError = (path: readonly PropertyKey[]) => ParseFailureWhere;

/** JSON.parse with PARSE_FAILED naming the line where the text stops being JSON. */
export function parseJsonText(source: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw syntaxError(source, text);
  }
}

/**
 * Holds a parsed value against a zod schema; the first mismatch names its JSON path. `locate` may add
 * the line of the input to look at (the path alone says nothing about lines once parsed).
 */
export function checkShape<S extends z.ZodType>(
  source: string,
  schema: S,
  value: unknown,
  locate?: LocateShapeError,
): z.infer<S> {
  const checked = schema.safeParse(value);
  if (checked.success) return checked.data;
  const issue = checked.error.issues[0];
  const path = issue?.path ?? [];
  const at = jsonPath(path) || "the top level";
  const where = locate?.(path) ?? {};
  throw parseFailed(source, `unexpected shape at ${at}: ${issue?.message ?? "invalid"}`, {
    excerpt: at,
    ...where,
  });
}

/** `["a", 0, "b"]` -> `a[0].b`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path
    .map((k) => (typeof k === "number" ? `[${k}]` : `.${String(k)}`))
    .join("")
    .replace(/^\./, "");
}

function syntaxError(source: string, text: string): AppError {
  if (text.trim() === "") return parseFailed(source, "empty input, expected JSON", { line: 1 });
  const { offset, reason } = locateSyntaxError(text);
  const line = text.slice(0, offset).split("\n").length;
  const excerpt = text.split("\n")[line - 1] ?? "";
  return parseFailed(source, `not JSON: ${reason}`, { line, excerpt });
}

export interface SyntaxProblem {
  offset: number;
  reason: string;
}

/**
 * Walks the text as a JSON grammar and returns where it first goes wrong. Input that ends too soon
 * (a cut output) is placed on its last non-blank character: the line where it was cut.
 */
export function locateSyntaxError(text: string): SyntaxProblem {
  let i = 0;
  const fail = (reason: string): never => {
    throw { offset: Math.min(i, text.length), reason } satisfies SyntaxProblem;
  };
  const ended = (reason: string): never => {
    throw { offset: text.trimEnd().length, reason } satisfies SyntaxProblem;
  };
  const ws = (): void => {
    while (i < text.length && " \t\r\n".includes(text[i] as string)) i++;
  };
  const expect = (c: string): void => {
    ws();
    if (i >= text.length) ended(`input ends where ${c} was expected (truncated?)`);
    if (text[i] !== c) fail(`expected ${c}, found ${text[i]}`);
    i++;
  };
  const string = (): void => {
    expect('"');
    for (;;) {
      if (i >= text.length) ended("input ends inside a string (truncated?)");
      const c = text[i++];
      if (c === '"') return;
      if (c === "\\") i++;
      else if (c === "\n") {
        i--; // the error is on the line the string opened, not the next
        fail("line break inside a string");
      }
    }
  };
  const member = (): void => {
    string();
    expect(":");
    value();
  };
  const value = (): void => {
    ws();
    if (i >= text.length) ended("input ends where a value was expected (truncated?)");
    const c = text[i] as string;
    if (c === "{") container("{", "}", member);
    else if (c === "[") container("[", "]", value);
    else if (c === '"') string();
    else {
      const literal = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
      if (literal === null) fail(`unexpected ${JSON.stringify(text.slice(i, i + 12))}`);
      i += literal?.[0].length ?? 0;
    }
  };
  const container = (open: string, close: string, item: () => void): void => {
    expect(open);
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      ws();
      if (text[i] !== ",") break;
      i++;
    }
    expect(close);
  };
  try {
    value();
    ws();
    if (i < text.length) fail("text after the JSON value");
  } catch (err) {
    if (typeof err === "object" && err !== null && "offset" in err) return err as SyntaxProblem;
    throw err;
  }
  // JSON.parse refused what the walk accepted (e.g. a bad escape): point at the start.
  return { offset: 0, reason: "invalid JSON" };
}
