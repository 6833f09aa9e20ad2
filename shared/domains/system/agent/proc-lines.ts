import { wholeLines } from "@infrastructor/lib/collect/whole-lines.ts";
import { parseFailed } from "./parse-fields.ts";

/** One non-blank line of a /proc file: its 1-based number, its text and its whitespace-split fields. */
export interface ProcLine {
  line: number;
  text: string;
  tokens: string[];
}

/**
 * The non-blank lines of a /proc (or /sys) text file read whole. The kernel ends every line it prints
 * with a newline, so a text that does not end with one was cut mid-line (a read capped at its size, a
 * transport that dropped the tail): it is refused naming that last line, never read as if complete.
 */
export function procLines(text: string, source: string): ProcLine[] {
  if (text.trim() === "") throw parseFailed(source, "empty input", { line: 1 });
  return wholeLines(text, source).flatMap(({ line, text: value }) => {
    const trimmed = value.trim();
    return trimmed === "" ? [] : [{ line, text: value, tokens: trimmed.split(/\s+/) }];
  });
}

/** The one line of a one-line file (/proc/loadavg, /proc/uptime): a second line is two reads run together. */
export function procSingleLine(text: string, source: string): ProcLine {
  const [first, second] = procLines(text, source);
  if (first === undefined) throw parseFailed(source, "empty input", { line: 1 });
  if (second !== undefined) {
    throw parseFailed(source, "more than one line: two reads run together?", {
      line: second.line,
      excerpt: second.text,
    });
  }
  return first;
}

/**
 * Remembers the keys of a keyed file (one line per key) and refuses a key seen before: the kernel prints
 * each once, so a second one means two dumps run together (or a file that is not what it claims).
 */
export class KeyLedger {
  readonly #seen = new Map<string, number>();

  constructor(private readonly source: string) {}

  add(key: string, at: ProcLine): void {
    const first = this.#seen.get(key);
    if (first !== undefined) {
      throw parseFailed(
        this.source,
        `\`${key}\` appears again (first at line ${first}): two dumps run together?`,
        { line: at.line, excerpt: at.text },
      );
    }
    this.#seen.set(key, at.line);
  }

  has(key: string): boolean {
    return this.#seen.has(key);
  }
}
