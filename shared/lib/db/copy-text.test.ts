import { expect, test } from "bun:test";
import { copyNumber, copyText } from "./copy-text.ts";

test("escapes the characters COPY text format gives meaning to", () => {
  expect(copyText("/mnt/with\ttab")).toBe("/mnt/with\\ttab");
  expect(copyText("a\\b\nc\rd")).toBe("a\\\\b\\nc\\rd");
  expect(copyText("/srv/plain")).toBe("/srv/plain");
});

test("absent numbers become \\N, present ones print exactly", () => {
  expect(copyNumber(null)).toBe("\\N");
  expect(copyNumber(undefined)).toBe("\\N");
  expect(`${copyNumber(9007199254740991)}`).toBe("9007199254740991");
  expect(`${copyNumber(0.25)}`).toBe("0.25");
});
