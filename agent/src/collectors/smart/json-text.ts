import { parseFailed } from "../../lib/parse-error.ts";

/**
 * JSON.parse with a PARSE_FAILED that names the line: Bun's JSON errors carry no position, so on
 * failure a small scan finds the first character that cannot be JSON (or the end, for a cut-off
 * output) and reports its line.
 */
export function parseJsonText(source: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const { line, why } = locateJsonError(text);
    const message = err instanceof Error ? err.message : String(err);
    const excerpt = text.split("\n")[line - 1] ?? "";
    throw parseFailed(source, `not JSON (${why}; ${message})`, { line, excerpt });
  }
}

const LITERAL = /^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)/;

export function locateJsonError(text: string): { line: number; why: string } {
  let line = 1;
  let depth = 0;
  let lastLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === "\n") line++;
    else if (ch === " " || ch === "\t" || ch === "\r" || ch === ":" || ch === ",") continue;
    else if (ch === "{" || ch === "[") depth++;
    else if (ch === "}" || ch === "]") depth--;
    else if (ch === '"') {
      const end = endOfString(text, i);
      if (end === -1) return { line, why: "unterminated string" };
      i = end;
    } else {
      const literal = LITERAL.exec(text.slice(i, i + 64));
      if (literal === null) return { line, why: `unexpected ${JSON.stringify(ch)}` };
      i += literal[0].length - 1;
    }
    if (ch !== "\n") lastLine = line;
  }
  if (depth > 0) return { line: lastLine, why: "truncated: input ends inside an object or array" };
  return { line: lastLine, why: text.trim() === "" ? "empty input" : "malformed" };
}

function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\") i++;
    else if (ch === '"') return i;
    else if (ch === "\n") return -1;
  }
  return -1;
}
