/**
 * PostgreSQL COPY text format, the fastest way in: one line per row, tab-separated, `\N` for NULL.
 * Backslash, tab, newline and carriage return inside values must be escaped, or a mount point with a
 * tab in its name would shift every column after it. Rows are built as template strings on the hot
 * path (a million rows a minute), so the helpers here are small and allocation-free when they can be.
 */
const SPECIAL = /[\\\t\n\r]/;

/** A text value. */
export function copyText(value: string): string {
  if (!SPECIAL.test(value)) return value;
  let out = "";
  for (const ch of value) {
    if (ch === "\\") out += "\\\\";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else out += ch;
  }
  return out;
}

/** A number that may be absent. Finite by contract: the shared schemas refuse NaN and Infinity. */
export function copyNumber(value: number | null | undefined): string | number {
  return value === null || value === undefined ? "\\N" : value;
}
