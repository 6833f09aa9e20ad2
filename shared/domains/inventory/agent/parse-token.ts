import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";

/** /proc/sys/kernel/osrelease or `uname -m`: one token on one line. */
export function parseOneToken(source: string, text: string): string {
  const value = text.trim();
  if (!/^[A-Za-z0-9_.+~-]{1,255}$/.test(value)) {
    throw parseFailed(source, "not one token on one line", { line: 1, excerpt: text });
  }
  return value;
}
