import type { AppError } from "@infrastructor/shared/errors.ts";
import type { z } from "zod";
import { parseFailed } from "../../lib/parse-error.ts";

/**
 * Parses a Docker API response body and checks it against the (lenient) shape the parsers read.
 * JSON.parse says neither where nor why, so a syntax error (truncated output included) is located by
 * `syntaxErrorLine`; a value of the wrong shape is named by its JSON path, e.g. `[2].Names`.
 */
export function parseApiJson<S extends z.ZodType>(text: string, source: string, shape: S): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw syntaxError(text, source);
  }
  const checked = shape.safeParse(value);
  if (checked.success) return checked.data;
  const issue = checked.error.issues[0];
  const where = (issue?.path ?? []).map((k) => (typeof k === "number" ? `[${k}]` : `.${String(k)}`)).join("");
  const at = where === "" ? "the document" : where.replace(/^\./, "");
  throw parseFailed(source, `${at}: ${issue?.message ?? "unexpected shape"}`, { excerpt: at });
}

function syntaxError(text: string, source: string): AppError {
  if (text.trim() === "") return parseFailed(source, "empty input, expected JSON", { line: 1 });
  const { offset, reason } = locateSyntaxError(text);
  const line = text.slice(0, offset).split("\n").length;
  const excerpt = text.split("\n")[line - 1] ?? "";
  return parseFailed(source, `not JSON: ${reason}`, { line, excerpt });
}

interface SyntaxProblem {
  offset: number;
  reason: string;
}

/** Walks the text as a JSON grammar and returns where it first goes wrong (the end, when truncated). */
export function locateSyntaxError(text: string): SyntaxProblem {
  let i = 0;
  const fail = (reason: string): never => {
    throw { offset: Math.min(i, text.length), reason } satisfies SyntaxProblem;
  };
  const ws = (): void => {
    while (i < text.length && " \t\r\n".includes(text[i] as string)) i++;
  };
  const expect = (c: string): void => {
    ws();
    if (i >= text.length) fail(`input ends where ${c} was expected (truncated?)`);
    if (text[i] !== c) fail(`expected ${c}, found ${text[i]}`);
    i++;
  };
  const string = (): void => {
    expect('"');
    for (;;) {
      if (i >= text.length) fail("input ends inside a string (truncated?)");
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
    if (i >= text.length) fail("input ends where a value was expected (truncated?)");
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
