import { type ItemError, ItemErrorSchema } from "@infrastructor/shared/schemas/source-result.ts";
import { z } from "zod";

/** How many unreadable items a text line names; the structured answer has them all (up to 64 per list). */
const NAMED = 3;
/** Each named item's message is cut here in the text. */
const MESSAGE_CHARS = 160;

export const ItemErrorsSchema = z
  .array(ItemErrorSchema)
  .describe("items the agent could not read (the others are above): name, code, message, line, excerpt");

/** Items of a list that could not be read, and how many more the agent only counted. */
export interface Unreadable {
  errors: readonly ItemError[];
  dropped?: number | undefined;
}

/**
 * One line for the text answer, null when nothing was unreadable: "1 container could not be read:
 * etcd2: GET /containers/json: unexpected shape at [1].Ports: ...". `noun` is [singular, plural];
 * `prefix` goes before each name (a device, a source).
 */
export function describeUnreadable(
  lists: readonly (Unreadable & { prefix?: string })[],
  noun: readonly [string, string],
): string | null {
  const named = lists.flatMap((l) => l.errors.map((e) => ({ prefix: l.prefix ?? "", e })));
  const total = named.length + lists.reduce((n, l) => n + (l.dropped ?? 0), 0);
  if (total === 0) return null;
  const shown = named.slice(0, NAMED).map(({ prefix, e }) => {
    const name = e.name ?? (e.error.line === null ? "unnamed" : `line ${e.error.line}`);
    const message =
      e.error.message.length > MESSAGE_CHARS
        ? `${e.error.message.slice(0, MESSAGE_CHARS)}…`
        : e.error.message;
    return `${prefix}${name}: ${message}`;
  });
  const more = total - shown.length;
  return `${total} ${total === 1 ? noun[0] : noun[1]} could not be read: ${shown.join("; ")}${more > 0 ? `; and ${more} more` : ""}.`;
}
