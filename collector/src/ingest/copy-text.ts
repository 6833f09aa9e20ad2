/**
 * PostgreSQL COPY text format, the fastest way in: one line per row, tab-separated, `\N` for NULL.
 * Backslash, tab, newline and carriage return inside values must be escaped, or a mount point with a
 * tab in its name would shift every column after it.
 */
export type CopyValue = string | number | boolean | null | undefined;

const SPECIAL = /[\\\t\n\r]/;

export function escapeCopyText(value: string): string {
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

export function copyField(value: CopyValue): string {
  if (value === null || value === undefined) return "\\N";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === "boolean") return value ? "t" : "f";
  return escapeCopyText(value);
}

export function copyLine(values: readonly CopyValue[]): string {
  let line = copyField(values[0]);
  for (let i = 1; i < values.length; i++) line += `\t${copyField(values[i])}`;
  return `${line}\n`;
}
