/**
 * Host-controlled text (a mount path, a container's message, a drive model) reaches terminals, mail
 * headers, chat messages and alert keys. A compromised host could hide a terminal escape (ESC, or the
 * C1 CSI a terminal also obeys), a line break that forges a header or a row, or a bidirectional override
 * that shows a different text than the one stored. These helpers put a space where such a character was.
 */

// C0 and C1 controls and DEL, the line and paragraph separators, and the bidirectional marks, embeddings,
// overrides and isolates (Unicode TR9), which reorder what follows them on screen.
const UNPRINTABLE_LINE = /[\p{Cc}\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/gu;
const UNPRINTABLE_TEXT = /(?:(?![\t\n])[\p{Cc}\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069])+/gu;

/** One line, safe to print: every run of control or reordering characters becomes one space. */
export function printableLine(text: string): string {
  return text.replace(UNPRINTABLE_LINE, " ");
}

/** Like printableLine, but newlines and tabs stay (a body of several lines). */
export function printableText(text: string): string {
  return text.replace(UNPRINTABLE_TEXT, " ");
}

/** Whether `text` holds nothing printableLine would replace. */
export function isPrintableLine(text: string): boolean {
  return printableLine(text) === text;
}
