import { type ItemsParse, parseEachItem, type RawItem } from "@infrastructor/lib/collect/parse-items.ts";
import { fail, type Where } from "./zfs-values.ts";

/** One line of `zpool list -H` / `zfs list -H` output: its fields by column name, and where it was. */
export interface TabularRow {
  fields: Map<string, string>;
  where: Where;
}

/**
 * Scripted-mode output (-H): no header, one line per object, fields separated by one tab. Each line is
 * an item of its own: a line that cannot be read (a short line, a value that is not a number) becomes
 * that item's error, named by its first field, and every other line is still read.
 */
export function parseTabular<T>(
  text: string,
  source: string,
  columns: readonly string[],
  parseRow: (row: TabularRow) => T,
): ItemsParse<T> {
  const raw: RawItem<Where>[] = [];
  for (const [index, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    const name = line.split("\t")[0] ?? "";
    raw.push({
      name: name === "" ? null : name,
      line: index + 1,
      text: line,
      input: { source, line: index + 1, text: line },
    });
  }
  return parseEachItem(raw, ({ input: where }) => {
    const values = where.text.split("\t");
    if (values.length !== columns.length) {
      throw fail(
        where,
        `expected ${columns.length} tab-separated fields (${columns.join(",")}), got ${values.length}`,
      );
    }
    return parseRow({ fields: new Map(columns.map((c, i) => [c, values[i] ?? ""])), where });
  });
}
