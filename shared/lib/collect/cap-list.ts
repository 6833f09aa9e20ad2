import type { SourceResult } from "@infrastructor/shared/schemas/source-result.ts";

export interface CappedList<T> {
  items: T[];
  /** How many items were left out; 0 when the list fitted. */
  truncated: number;
}

/**
 * The first `max` items of a list that someone other than root can make long (a local user's listening
 * sockets, FUSE mounts, a LAN full of neighbours): one poll's message must stay under the NATS
 * max_payload, and a stated count of what was left out is better than no data at all.
 */
export function capList<T>(items: readonly T[], max: number): CappedList<T> {
  return items.length <= max
    ? { items: [...items], truncated: 0 }
    : { items: items.slice(0, max), truncated: items.length - max };
}

/** capList for a source's list value, stating the count left out as the result's `truncated`. */
export function capSource<T>(result: SourceResult<T[]>, max: number): SourceResult<T[]> {
  if (!result.ok) return result;
  const { items, truncated } = capList(result.value, max);
  // Spread first: the result's item_errors travel with the cut list.
  return truncated === 0
    ? result
    : { ...result, ok: true, value: items, truncated: truncated + (result.truncated ?? 0) };
}
