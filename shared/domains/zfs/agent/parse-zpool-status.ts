import { type ItemsParse, itemError } from "@infrastructor/lib/collect/parse-items.ts";
import type { ItemError } from "@infrastructor/shared/schemas/source-result.ts";
import type { ZfsPoolStatus } from "../schema.ts";
import { KEY, type Line, readPoolBlock } from "./pool-block.ts";
import { fail } from "./zfs-values.ts";

const SOURCE = "zpool status";
const POOL = /^ {0,8}pool: (.*)$/;

/**
 * Parses `zpool status -p -v` (all pools, one block each, from a `pool:` line to the next). Each block
 * is an item: a block that cannot be read is an item error named by its pool while the other pools are
 * read; a vdev row that cannot be read is an item error of its pool, which keeps its other rows; lines
 * that belong to no pool (before the first `pool:`, or after a pool's last entry) are an item error
 * without a name. Output with no pool block and nothing zpool status prints is PARSE_FAILED (the wrong
 * command's output); `no pools available` (stderr on current releases) is an empty list.
 */
export function parseZpoolStatus(text: string): ItemsParse<ZfsPoolStatus> {
  const items: ZfsPoolStatus[] = [];
  const errors: ItemError[] = [];
  if (text.trim() === "no pools available") return { items, errors };
  const lines = text.split("\n").map((t, i): Line => ({ text: t, line: i + 1 }));
  const starts = lines.filter((l) => POOL.test(l.text));
  const before = lines.slice(0, starts[0] ? starts[0].line - 1 : lines.length);
  const stray = before.find((l) => l.text.trim() !== "");
  if (stray) {
    const looksLikeStatus = before.some((l) => KEY.test(l.text));
    const err = fail({ source: SOURCE, ...stray }, "lines before the first `pool:` belong to no pool");
    if (starts.length === 0 && !looksLikeStatus) throw err;
    errors.push(itemError({ name: null, line: stray.line, text: stray.text }, err));
  }
  for (const [i, start] of starts.entries()) {
    const end = starts[i + 1]?.line ?? lines.length + 1;
    const block = lines.slice(start.line - 1, end - 1);
    const name = (POOL.exec(start.text)?.[1] ?? "").trim();
    try {
      const { pool, rowErrors, orphan } = readPoolBlock(name, block, SOURCE);
      items.push(pool);
      errors.push(...rowErrors);
      if (orphan) {
        const err = fail(
          { source: SOURCE, ...orphan },
          `lines after pool ${name}'s status that belong to no pool`,
        );
        errors.push(itemError({ name: null, line: orphan.line, text: orphan.text }, err));
      }
    } catch (err) {
      errors.push(itemError({ name: name === "" ? null : name, line: start.line, text: start.text }, err));
    }
  }
  return { items, errors };
}
