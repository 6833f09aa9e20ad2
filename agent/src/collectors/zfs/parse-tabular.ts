import { parseFailed } from "../../lib/parse-error.ts";
import type { Where } from "./zfs-values.ts";

/** One line of `zpool list -H` / `zfs list -H` output: its fields by column name, and where it was. */
export interface TabularRow {
  fields: Map<string, string>;
  where: Where;
}

/**
 * Scripted-mode output (-H): no header, one line per object, fields separated by one tab. Every line
 * must have exactly one field per requested column: a short line is a truncated output, not data.
 */
export function parseTabular(text: string, source: string, columns: readonly string[]): TabularRow[] {
  const rows: TabularRow[] = [];
  const lines = text.split("\n");
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const values = line.split("\t");
    const where = { source, line: index + 1, text: line };
    if (values.length !== columns.length) {
      throw parseFailed(
        source,
        `expected ${columns.length} tab-separated fields (${columns.join(",")}), got ${values.length}`,
        {
          line: where.line,
          excerpt: line,
        },
      );
    }
    rows.push({ fields: new Map(columns.map((c, i) => [c, values[i] ?? ""])), where });
  }
  return rows;
}
