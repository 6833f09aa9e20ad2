/**
 * Cuts long text for an LLM's context: keeps the newest end (logs read bottom-up), never splits a
 * UTF-16 surrogate pair, and says it cut.
 */
export function keepTail(text: string, maxChars: number): { text: string; truncated: boolean } {
  if (text.length <= maxChars) return { text, truncated: false };
  let start = text.length - maxChars;
  const code = text.charCodeAt(start);
  if (code >= 0xdc00 && code <= 0xdfff) start += 1;
  const cut = text.slice(start);
  const newline = cut.indexOf("\n");
  return { text: newline >= 0 && newline < 200 ? cut.slice(newline + 1) : cut, truncated: true };
}

/** Keeps the first `max` items of a list and says whether it dropped any. */
export function capList<T>(items: readonly T[], max: number): { items: T[]; truncated: boolean } {
  return { items: items.slice(0, max), truncated: items.length > max };
}
