import { type ItemError, MAX_ITEM_ERRORS } from "@infrastructor/shared/schemas/source-result.ts";

/** The `item_errors` fields of a list that is not held in a SourceResult. */
export interface ItemErrorFields {
  item_errors?: ItemError[];
  item_errors_dropped?: number;
}

/**
 * Item errors as the optional fields beside a list outside a SourceResult (docker's containers, a log
 * read's entries, a backup probe's snapshots): at most MAX_ITEM_ERRORS, the rest counted, and no field
 * at all when there is none (so samples stay as older agents sent them).
 */
export function boundedItemErrors(errors: readonly ItemError[]): ItemErrorFields {
  if (errors.length === 0) return {};
  const kept = errors.slice(0, MAX_ITEM_ERRORS);
  const dropped = errors.length - kept.length;
  return dropped > 0 ? { item_errors: kept, item_errors_dropped: dropped } : { item_errors: kept };
}
