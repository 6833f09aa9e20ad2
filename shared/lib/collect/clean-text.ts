/** A UTF-16 surrogate without its pair (JSON.parse of `"\ud800"` makes one; so can a cut string). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text that every store downstream can hold: PostgreSQL's text and jsonb refuse U+0000 and unpaired
 * surrogates, and refuse the whole message around them. A journal field with binary content, a syslog
 * file with a NUL-filled tail after a crash, or a process name chosen by a local user would otherwise
 * cost everything sent beside it. Each such character becomes U+FFFD, so the rest of the text is kept
 * and the damage stays visible.
 */
export function cleanText(text: string): string {
  const paired = text.replace(LONE_SURROGATE, "\uFFFD");
  return paired.includes("\u0000") ? paired.replaceAll("\u0000", "\uFFFD") : paired;
}

/** cleanText applied to every string (and object key) in a JSON-like value; other values as they are. */
export function cleanStrings<T>(value: T): T {
  return clean(value) as T;
}

function clean(value: unknown): unknown {
  if (typeof value === "string") return cleanText(value);
  if (Array.isArray(value)) return value.map(clean);
  if (value === null || typeof value !== "object") return value;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[cleanText(key)] = clean(v);
  return out;
}
