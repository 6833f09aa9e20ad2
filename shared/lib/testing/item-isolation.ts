import { expect } from "bun:test";
import type { ItemsParse } from "@infrastructor/lib/collect/parse-items.ts";

/**
 * The per-item isolation property, checked on a real capture: for every item of the capture and every
 * damage done to that item alone, parsing the damaged text still yields every *other* item exactly as
 * the undamaged capture did. The damaged item itself may parse differently, be reported in `errors`, or
 * both; it may never take a neighbour with it.
 */
export interface IsolationCase<T> {
  /** The capture's name, for failure messages. */
  label: string;
  text: string;
  /** The capture cut into its items; `prefix + items.join(separator) + suffix` must equal the text. */
  split: (text: string) => ItemSegments;
  parse: (text: string) => ItemsParse<T>;
  /** Identifies an item across parses (its name). */
  key: (item: T) => string;
  /** Ways to damage one item's text; textDamages by default. */
  damages?: (segment: string) => string[];
}

export interface ItemSegments {
  prefix: string;
  items: string[];
  separator: string;
  suffix: string;
}

/** Generic damage to one item's text: cut in half, numbers turned to words, a field dropped. */
export function textDamages(segment: string): string[] {
  const damages = [
    segment.slice(0, Math.max(1, Math.floor(segment.length / 2))),
    segment.replace(/\d+/g, "x9z"),
    segment.replace(/[\t ]+\S+/, ""),
  ];
  return [...new Set(damages)].filter((d) => d !== segment);
}

/** Lines as items (tabular outputs: `zpool list -H`, /proc/net/dev rows after their header). */
export function splitLines(headerLines = 0): (text: string) => ItemSegments {
  return (text) => {
    const trailing = text.endsWith("\n");
    const lines = (trailing ? text.slice(0, -1) : text).split("\n");
    const header = lines.slice(0, headerLines);
    return {
      prefix: header.length > 0 ? `${header.join("\n")}\n` : "",
      items: lines.slice(headerLines),
      separator: "\n",
      suffix: trailing ? "\n" : "",
    };
  };
}

/** Runs the property; returns how many damaged variants were checked (so a test can assert > 0). */
export function expectItemIsolation<T>(c: IsolationCase<T>): number {
  const segments = c.split(c.text);
  expect(segments.prefix + segments.items.join(segments.separator) + segments.suffix).toBe(c.text);
  const baseline = c.parse(c.text);
  expect(baseline.errors).toEqual([]);
  expect(baseline.items.length).toBeGreaterThan(0);
  const byKey = new Map(baseline.items.map((item) => [c.key(item), item]));
  let checked = 0;
  for (const [index, segment] of segments.items.entries()) {
    for (const damaged of (c.damages ?? textDamages)(segment)) {
      const items = segments.items.map((s, i) => (i === index ? damaged : s));
      const text = segments.prefix + items.join(segments.separator) + segments.suffix;
      const result = c.parse(text);
      for (const [key, item] of byKey) {
        if (mentions(segment, key)) continue;
        const got = result.items.find((candidate) => c.key(candidate) === key);
        expect({ capture: c.label, damagedItem: index, damaged, key, item: got }).toEqual({
          capture: c.label,
          damagedItem: index,
          damaged,
          key,
          item,
        });
      }
      checked += 1;
    }
  }
  return checked;
}

/** Whether an item's key appears in a segment as a whole name (so that item may change with it). */
function mentions(segment: string, key: string): boolean {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\w.-])${escaped}($|[^\\w.-])`).test(segment);
}
