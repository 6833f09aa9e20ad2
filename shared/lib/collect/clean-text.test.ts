import { expect, test } from "bun:test";
import { cleanStrings, cleanText } from "./clean-text.ts";

test("NUL and unpaired surrogates become U+FFFD; everything else is kept", () => {
  expect(cleanText("before\u0000after")).toBe("before\uFFFDafter");
  expect(cleanText("\u0000\u0000")).toBe("\uFFFD\uFFFD");
  expect(cleanText(JSON.parse('"a\\ud800b\\udc00c"'))).toBe("a\uFFFDb\uFFFDc");
  expect(cleanText("emoji 😀, café, tab\tand bell\u0007")).toBe("emoji 😀, café, tab\tand bell\u0007");
});

test("cleanStrings walks arrays and objects (keys too) and leaves numbers, booleans and null", () => {
  const dirty = { "k\u0000": ["x\u0000", 1, true, null, { deep: "\ud800" }] };
  expect(cleanStrings(dirty) as unknown).toEqual({
    "k\uFFFD": ["x\uFFFD", 1, true, null, { deep: "\uFFFD" }],
  });
  expect(JSON.stringify(cleanStrings(dirty))).not.toContain("\\u0000");
});
