import { expect, test } from "bun:test";
import { copyField, copyLine, escapeCopyText } from "./copy-text.ts";

test("escapes the characters COPY text format gives meaning to", () => {
  expect(escapeCopyText("/mnt/with\ttab")).toBe("/mnt/with\\ttab");
  expect(escapeCopyText("a\\b\nc\rd")).toBe("a\\\\b\\nc\\rd");
  expect(escapeCopyText("/srv/plain")).toBe("/srv/plain");
});

test("null and undefined become \\N, numbers stay exact", () => {
  expect(copyField(null)).toBe("\\N");
  expect(copyField(undefined)).toBe("\\N");
  expect(copyField(9007199254740991)).toBe("9007199254740991");
  expect(copyField(0.25)).toBe("0.25");
  expect(() => copyField(Number.NaN)).toThrow(/finite/);
});

test("a line is tab-separated and newline-terminated", () => {
  expect(copyLine(["2026-01-01T00:00:00.000Z", 7, null, "x\ty"])).toBe(
    "2026-01-01T00:00:00.000Z\t7\t\\N\tx\\ty\n",
  );
});
