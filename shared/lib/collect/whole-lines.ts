import { parseFailed } from "./parse-error.ts";

/** One line of a command's output, with its 1-based number. */
export interface NumberedLine {
  line: number;
  text: string;
}

/**
 * The lines of a line-oriented command output or /proc file, numbered. Every tool here (and the kernel)
 * ends each line it prints with a newline, so a non-empty output without one was cut mid-line: a list that lost
 * its tail would undercount, so it is refused naming that last line instead of read as complete.
 */
export function wholeLines(text: string, source: string): NumberedLine[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (!text.endsWith("\n")) {
    throw parseFailed(source, "input ends mid-line (no newline at the end): cut short", {
      line: lines.length,
      excerpt: lines[lines.length - 1] ?? "",
    });
  }
  return lines.slice(0, -1).map((value, i) => ({ line: i + 1, text: value }));
}

/**
 * A listing where not one item could be read, but some lines were tried, is not a listing at all (an
 * error message, another command's output): refused naming the first line that failed.
 */
export function refuseIfNothingRead(
  source: string,
  parsed: {
    items: unknown[];
    errors: { error: { message: string; line: number | null; excerpt: string | null } }[];
  },
): void {
  const [first] = parsed.errors;
  if (parsed.items.length > 0 || first === undefined) return;
  throw parseFailed(source, `no line is a package: ${first.error.message}`, {
    ...(first.error.line === null ? {} : { line: first.error.line }),
    ...(first.error.excerpt === null ? {} : { excerpt: first.error.excerpt }),
  });
}
