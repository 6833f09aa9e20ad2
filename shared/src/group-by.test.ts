import { expect, test } from "bun:test";
import { groupBy } from "./group-by.ts";

test("groups keep the order keys are first met and the items' order within each", () => {
  const groups = groupBy(["b1", "a1", "b2", "c1", "a2"], (s) => s[0]);
  expect([...groups.entries()]).toEqual([
    ["b", ["b1", "b2"]],
    ["a", ["a1", "a2"]],
    ["c", ["c1"]],
  ]);
  expect(groupBy([], (s: string) => s).size).toBe(0);
});
