/**
 * A plain-text table: a header row, a dashed rule, columns padded to their widest cell. Columns named in
 * `right` are right-aligned (numbers). Cells are printed as given: callers keep them on one line.
 */
export function textTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  options: { right?: readonly string[] } = {},
): string {
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
