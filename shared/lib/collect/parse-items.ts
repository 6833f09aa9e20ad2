import { ErrorCode, toAppError } from "@infrastructor/shared/errors.ts";
import type { ItemError, SourceResult } from "@infrastructor/shared/schemas/source-result.ts";
import { boundedItemErrors } from "./bounded-item-errors.ts";
import { cleanText } from "./clean-text.ts";

/**
 * A list source read item by item: what could be read, and one ItemError per item that could not.
 * Parsers of lists return this instead of throwing on the first bad item, so one unreadable pool,
 * drive or package line never hides the others. A parser still throws PARSE_FAILED when the output as
 * a whole is not what it claims (cut mid-record, two dumps run together, the wrong command's output).
 */
export interface ItemsParse<T> {
  items: T[];
  errors: ItemError[];
}

/** One item's raw input: its name when that much is readable, and where it starts. */
export interface RawItem<I> {
  name: string | null;
  /** 1-based line in the source's output; null for sources without lines (JSON arrays). */
  line: number | null;
  /** The item's text for the excerpt (its first line is enough). */
  text: string;
  input: I;
}

/** Parses every raw item on its own; what one throws becomes its ItemError, the rest still parse. */
export function parseEachItem<I, T>(
  raw: Iterable<RawItem<I>>,
  parseOne: (item: RawItem<I>) => T,
): ItemsParse<T> {
  const items: T[] = [];
  const errors: ItemError[] = [];
  for (const item of raw) {
    try {
      items.push(parseOne(item));
    } catch (err) {
      errors.push(itemError(item, err));
    }
  }
  return { items, errors };
}

/** An item's failure as data; the line and excerpt come from a parseFailed error when it names them. */
export function itemError(item: Pick<RawItem<unknown>, "name" | "line" | "text">, err: unknown): ItemError {
  const e = toAppError(err, ErrorCode.PARSE_FAILED);
  const detailLine = e.details?.line;
  const detailExcerpt = e.details?.excerpt;
  const line = typeof detailLine === "number" && detailLine > 0 ? detailLine : item.line;
  const excerpt = typeof detailExcerpt === "string" ? detailExcerpt : firstLine(item.text);
  return {
    name: item.name === null ? null : cleanText(item.name.slice(0, 1024)),
    error: {
      code: e.code,
      message: cleanText(e.message.slice(0, 1000)),
      line: line !== null && Number.isSafeInteger(line) && line > 0 ? line : null,
      excerpt: excerpt === null ? null : cleanText(excerpt.slice(0, 200)),
    },
  };
}

/**
 * A list source's result from an ItemsParse: the items as the value, the errors beside them (at most
 * MAX_ITEM_ERRORS, the rest counted). A source whose every item failed is still ok with an empty list:
 * the errors say why, and the other sources of the domain are unaffected.
 */
export function itemsResult<T>(parsed: ItemsParse<T>): SourceResult<T[]> {
  return { ok: true, value: parsed.items, ...boundedItemErrors(parsed.errors) };
}

function firstLine(text: string): string | null {
  const line = text.split("\n", 1)[0] ?? "";
  return line === "" ? null : line;
}
