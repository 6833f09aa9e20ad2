import { describe, expect, test } from "bun:test";
import { expectItemIsolation, splitLines } from "@infrastructor/lib/testing/item-isolation.ts";
import { MAX_ITEM_ERRORS, sourceResultSchema } from "@infrastructor/shared/schemas/source-result.ts";
import { z } from "zod";
import { parseFailed } from "./parse-error.ts";
import { type ItemsParse, itemsResult, parseEachItem } from "./parse-items.ts";

/** A two-column `name<TAB>count` list, the shape of `zpool list -H` cut down. */
function parseCounts(text: string): ItemsParse<{ name: string; count: number }> {
  const raw = text
    .split("\n")
    .map((line, i) => ({ name: line.split("\t")[0] ?? null, line: i + 1, text: line, input: line }))
    .filter((r) => r.text !== "");
  return parseEachItem(raw, (r) => {
    const [name, count] = r.input.split("\t");
    if (name === undefined || count === undefined || !/^\d+$/.test(count)) {
      throw parseFailed("counts", `not a count: ${JSON.stringify(count ?? "")}`, {
        line: r.line ?? undefined,
        excerpt: r.text,
      });
    }
    return { name, count: Number(count) };
  });
}

describe("parseEachItem", () => {
  test("a bad item is an item error with its line and excerpt; the others parse", () => {
    const parsed = parseCounts("tank\t1\nbroken\t-\nbackup\t3\n");
    expect(parsed.items).toEqual([
      { name: "tank", count: 1 },
      { name: "backup", count: 3 },
    ]);
    expect(parsed.errors).toEqual([
      {
        name: "broken",
        error: {
          code: "PARSE_FAILED",
          message: 'counts: not a count: "-" (line 2)',
          line: 2,
          excerpt: "broken\t-",
        },
      },
    ]);
  });

  test("itemsResult keeps MAX_ITEM_ERRORS errors, counts the rest, and passes the domain schema", () => {
    const lines = Array.from({ length: MAX_ITEM_ERRORS + 5 }, (_, i) => `bad${i}\tx`);
    const result = itemsResult(parseCounts(`good\t7\n${lines.join("\n")}\n`));
    const schema = sourceResultSchema(z.array(z.object({ name: z.string(), count: z.number() })));
    const parsed = schema.parse(result);
    expect(parsed.ok && parsed.value).toEqual([{ name: "good", count: 7 }]);
    expect(parsed.ok && parsed.item_errors?.length).toBe(MAX_ITEM_ERRORS);
    expect(parsed.ok && parsed.item_errors_dropped).toBe(5);
  });

  test("the isolation property holds for a per-line parser and fails for one that throws", () => {
    const text = "tank\t1\nbackup\t3\nscratch\t9\n";
    expect(
      expectItemIsolation({
        label: "counts",
        text,
        split: splitLines(),
        parse: parseCounts,
        key: (i) => i.name,
      }),
    ).toBeGreaterThan(0);
    const throwing = (t: string): ItemsParse<{ name: string; count: number }> => {
      const parsed = parseCounts(t);
      if (parsed.errors.length > 0) throw new Error("whole parse failed");
      return parsed;
    };
    expect(() =>
      expectItemIsolation({
        label: "counts",
        text,
        split: splitLines(),
        parse: throwing,
        key: (i) => i.name,
      }),
    ).toThrow();
  });
});
