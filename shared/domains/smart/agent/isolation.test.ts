import { describe, expect, test } from "bun:test";
import type { ItemsParse } from "@infrastructor/lib/collect/parse-items.ts";
import { expectItemIsolation, type ItemSegments } from "@infrastructor/lib/testing/item-isolation.ts";
import type { SmartAttribute } from "../schema.ts";
import { parseSmartctlJson } from "./parse-json.ts";
import { parseSmartctlText } from "./parse-text.ts";
import { isAttributeHeader, isAttributeTableEnd } from "./parse-text-attributes.ts";
import { DEVICE_JSON, DEVICE_TEXT, testdata } from "./testing/captures.ts";

/** A drive's attributes as the items of the property, its attribute errors as their errors. */
function attributesOf(parse: typeof parseSmartctlText): (text: string) => ItemsParse<SmartAttribute> {
  return (text) => {
    const r = parse(text);
    if (r.kind !== "reading") throw new Error(`expected a reading, got ${r.kind}`);
    return { items: r.reading.attributes, errors: r.reading.item_errors ?? [] };
  };
}

/** The rows of the `-A` table are the items: everything before (header included) and after is kept. */
function splitTextTable(text: string): ItemSegments {
  const lines = text.split("\n");
  const header = lines.findIndex(isAttributeHeader);
  let end = header + 1;
  while (end < lines.length && !isAttributeTableEnd(lines[end] ?? "")) end++;
  return {
    prefix: `${lines.slice(0, header + 1).join("\n")}\n`,
    items: lines.slice(header + 1, end),
    separator: "\n",
    suffix: `\n${lines.slice(end).join("\n")}`,
  };
}

/** The entries of `ata_smart_attributes.table`, found by bracket depth (strings skipped). */
function splitJsonTable(text: string): ItemSegments {
  const open = text.indexOf("[", text.indexOf('"table"', text.indexOf('"ata_smart_attributes"')));
  const spans: [number, number][] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") {
      if (depth === 0) start = i;
      depth++;
    } else if (c === "}" || c === "]") {
      if (depth === 0) break; // the table's own `]`
      depth--;
      if (depth === 0) spans.push([start, i + 1]);
    }
  }
  const separators = new Set(spans.slice(1).map(([s], k) => text.slice(spans[k]?.[1], s)));
  if (separators.size !== 1) throw new Error(`entries are not evenly separated: ${[...separators]}`);
  return {
    prefix: text.slice(0, spans[0]?.[0]),
    items: spans.map(([s, e]) => text.slice(s, e)),
    separator: [...separators][0] ?? ",",
    suffix: text.slice(spans.at(-1)?.[1]),
  };
}

/** Damage that keeps the document JSON but makes one entry unreadable in the ways firmware does. */
function jsonEntryDamages(entry: string): string[] {
  return [
    "null",
    '"garbage"',
    entry.replace(/"value": \d+/, '"value": "x9z"'),
    entry.replace(/"thresh": \d+/, '"thresh": -1'),
    entry.replace(/"id": \d+/, '"id": 300'),
    entry.replace(/"raw":/, '"raw_gone":'),
    entry.replace(/"when_failed": "[^"]*"/, '"when_failed": "bogus"'),
  ].filter((d) => d !== entry);
}

const hasTable = (file: string): boolean => testdata(file).split("\n").some(isAttributeHeader);
const hasJsonTable = (file: string): boolean => {
  const r = parseSmartctlJson(testdata(file));
  return r.kind === "reading" && r.reading.attributes.length > 0;
};

describe("one unreadable attribute never hides the others (every capture with an attribute table)", () => {
  const textFiles = DEVICE_TEXT.filter(hasTable);
  const jsonFiles = DEVICE_JSON.filter(hasJsonTable);

  test("there are captures of both kinds to check", () => {
    expect(textFiles.length).toBeGreaterThanOrEqual(3);
    expect(jsonFiles.length).toBeGreaterThanOrEqual(9);
  });

  for (const file of textFiles) {
    test(`text rows: ${file}`, () => {
      const checked = expectItemIsolation({
        label: file,
        text: testdata(file),
        split: splitTextTable,
        parse: attributesOf(parseSmartctlText),
        key: (a) => String(a.id),
      });
      expect(checked).toBeGreaterThan(10);
    });
  }

  for (const file of jsonFiles) {
    test(`JSON entries: ${file}`, () => {
      const parse = attributesOf(parseSmartctlJson);
      const checked = expectItemIsolation({
        label: file,
        text: testdata(file),
        split: splitJsonTable,
        parse,
        key: (a) => String(a.id),
        damages: jsonEntryDamages,
      });
      expect(checked).toBeGreaterThan(10);
      // Every damage of an entry is reported, by the attribute's name when that much is readable.
      const segments = splitJsonTable(testdata(file));
      const first = segments.items[0] ?? "";
      const damaged =
        segments.prefix +
        [first.replace(/"thresh": \d+/, '"thresh": -1'), ...segments.items.slice(1)].join(
          segments.separator,
        ) +
        segments.suffix;
      const errors = parse(damaged).errors;
      expect(errors).toHaveLength(1);
      expect(errors[0]?.error.code).toBe("PARSE_FAILED");
      expect(errors[0]?.name).toMatch(/^\d+ \S+$/);
    });
  }
});
