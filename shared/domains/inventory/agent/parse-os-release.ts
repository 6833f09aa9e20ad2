import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import type { OsRelease } from "../schema.ts";

const SOURCE = "os-release";
const MAX_VALUE = 255;

/**
 * Parses os-release(5): `KEY=value` lines, values optionally in single or double quotes, with
 * backslash escapes inside double quotes; `#` starts a comment line. A line that is none of these is
 * refused: os-release is meant to be read by shell and by simple parsers alike, so it should have none.
 */
export function parseOsRelease(text: string): OsRelease {
  const fields = new Map<string, string>();
  const lines = text.split("\n");
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match === null) throw parseFailed(SOURCE, "line is not KEY=value", { line: index + 1, excerpt: raw });
    const [, key = "", value = ""] = match;
    fields.set(key, unquote(value, index + 1, raw));
  }
  const field = (key: string): string | null => {
    const value = fields.get(key);
    return value === undefined || value === "" ? null : value.slice(0, MAX_VALUE);
  };
  if (fields.size === 0) throw parseFailed(SOURCE, "no KEY=value line");
  return {
    // The spec's defaults: ID=linux, NAME=Linux when absent.
    id: field("ID") ?? "linux",
    name: field("NAME") ?? "Linux",
    version_id: field("VERSION_ID"),
    pretty_name: field("PRETTY_NAME"),
  };
}

function unquote(value: string, line: number, raw: string): string {
  const quote = value[0];
  if (quote !== '"' && quote !== "'") {
    if (/[\s"'`$\\]/.test(value))
      throw parseFailed(SOURCE, "unquoted value with special characters", { line, excerpt: raw });
    return value;
  }
  if (value.length < 2 || value[value.length - 1] !== quote) {
    throw parseFailed(SOURCE, "unterminated quoted value", { line, excerpt: raw });
  }
  const inner = value.slice(1, -1);
  return quote === '"' ? inner.replace(/\\([\\$"`])/g, "$1") : inner;
}
