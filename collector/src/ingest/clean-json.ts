/**
 * Deepest nesting an envelope may have. Real envelopes stay under 10 levels (envelope, data, a list,
 * its objects, a record of labels...); PostgreSQL's jsonb input overflows its stack near 10,000, and
 * every level costs a recursion here and in zod.
 */
export const MAX_JSON_DEPTH = 32;

/** NUL and UTF-16 surrogates: a lone surrogate is as unstorable in jsonb as a NUL. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what must be found
const UNSTORABLE = /[\u0000\ud800-\udfff]/;
/** NUL, and a surrogate that is not half of a pair. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what must be replaced
const REPLACE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** What cleanJson returns for a value nested deeper than MAX_JSON_DEPTH. */
export const TOO_DEEP: unique symbol = Symbol("too deep");

/**
 * Makes a parsed JSON value storable by PostgreSQL, in place: every string and key has its NUL bytes
 * and lone surrogates replaced by U+FFFD. Replaced rather than refused, per field alike: a journal
 * entry from a binary field, a container label or an error message keeps its meaning with one odd
 * character, and the identifiers that matter (host, domain, boot_id, error codes) are checked by strict
 * patterns afterwards, which U+FFFD never matches, so those envelopes are still refused.
 * Returns TOO_DEEP past MAX_JSON_DEPTH, without descending further.
 *
 * `strings: "keep"` only checks the depth: for JSON text without a `\u` escape, the only way either
 * character can get in (JSON.parse refuses a raw NUL, a strict UTF-8 decoder a raw surrogate); it
 * saves most of the cost on ordinary envelopes.
 */
export function cleanJson(value: unknown, strings: "clean" | "keep" = "clean", depth = 0): unknown {
  if (typeof value === "string") return strings === "clean" ? cleanText(value) : value;
  if (typeof value !== "object" || value === null) return value;
  if (depth >= MAX_JSON_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = cleanJson(value[i], strings, depth + 1);
      if (item === TOO_DEEP) return TOO_DEEP;
      if (item !== value[i]) value[i] = item;
    }
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const item = cleanJson(record[key], strings, depth + 1);
    if (item === TOO_DEEP) return TOO_DEEP;
    const cleanKey = strings === "clean" ? cleanText(key) : key;
    if (cleanKey !== key) delete record[key];
    if (cleanKey !== key || item !== record[key]) record[cleanKey] = item;
  }
  return value;
}

/** One string made storable (also used for reject details built from the input). */
export function cleanText(value: string): string {
  return UNSTORABLE.test(value) ? value.replace(REPLACE, "\ufffd") : value;
}
