import { printableLine } from "@infrastructor/shared/printable.ts";

/**
 * A plain-text table: a header row, a dashed rule, columns padded to their widest cell. Columns named in
 * `right` are right-aligned (numbers). Cells often hold what a host reported, so each is made one
 * printable line: a terminal escape or a line break in a mount path must not reach the operator's screen.
 */
export function textTable(
  headers: readonly string[],
  given: readonly (readonly string[])[],
  options: { right?: readonly string[] } = {},
): string {
  const rows = given.map((r) => r.map(printableLine));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const right = new Set(options.right ?? []);
  const line = (cells: readonly string[]): string =>
    headers
      .map((h, i) => {
        const cell = cells[i] ?? "";
        const width = widths[i] ?? 0;
        return right.has(h) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join("  ")
      .trimEnd();
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
