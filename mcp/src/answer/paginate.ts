import { z } from "zod";

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/** The paging arguments every list-returning tool accepts. */
export const PageArgs = {
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_LIMIT)
    .optional()
    .describe(`How many items to return (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}).`),
  offset: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("Skip this many items; pass the previous answer's next_offset to get the next page."),
};

export const PageSchema = z.object({
  total: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int(),
  returned: z.number().int(),
  next_offset: z.number().int().nullable().describe("null when this is the last page"),
});
export type Page = z.infer<typeof PageSchema>;

/** One page of `items` (already sorted worst or newest first by the caller). */
export function paginate<T>(
  items: readonly T[],
  args: { limit?: number | undefined; offset?: number | undefined },
): { items: T[]; page: Page } {
  const limit = args.limit ?? DEFAULT_LIMIT;
  const offset = args.offset ?? 0;
  const slice = items.slice(offset, offset + limit);
  const end = offset + slice.length;
  return {
    items: slice,
    page: {
      total: items.length,
      offset,
      limit,
      returned: slice.length,
      next_offset: end < items.length ? end : null,
    },
  };
}

/** The page of a list paged elsewhere (in SQL): `returned` items from `offset` of `total`. */
export function pageOf(
  total: number,
  args: { limit?: number | undefined; offset?: number | undefined },
  returned: number,
): Page {
  const limit = args.limit ?? DEFAULT_LIMIT;
  const offset = args.offset ?? 0;
  const end = offset + returned;
  return { total, offset, limit, returned, next_offset: end < total ? end : null };
}

export function describePage(page: Page, noun: string): string {
  const range = page.returned === 0 ? "none" : `${page.offset + 1}-${page.offset + page.returned}`;
  const more = page.next_offset === null ? "" : ` (more: offset=${page.next_offset})`;
  return `${noun} ${range} of ${page.total}${more}`;
}
