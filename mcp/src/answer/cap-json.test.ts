import { expect, test } from "bun:test";
import { capJson } from "./cap-json.ts";

test("a value that fits is left whole", () => {
  const value = { a: [1, 2, 3], b: "x" };
  expect(capJson(value, 1000)).toEqual({
    value,
    truncated: false,
    keptItems: null,
    fullChars: JSON.stringify(value).length,
  });
});

test("lists at every depth keep their first items, the largest count that fits", () => {
  const value = {
    containers: Array.from({ length: 100 }, (_, i) => ({ name: `c${i}`, ports: [1, 2, 3, 4, 5, 6, 7] })),
  };
  const capped = capJson(value, 600);
  expect(capped.truncated).toBe(true);
  expect(capped.keptItems).toBe(5);
  const kept = capped.value as typeof value;
  expect(kept.containers.map((c) => c.name)).toEqual(["c0", "c1", "c2", "c3", "c4"]);
  expect(kept.containers[0]?.ports).toEqual([1, 2, 3, 4, 5]);
  expect(JSON.stringify(kept).length).toBeLessThanOrEqual(600);
  expect(capped.fullChars).toBe(JSON.stringify(value).length);
});

test("long strings are cut; a value that cannot fit at all becomes null", () => {
  const capped = capJson({ log: "y".repeat(5000) }, 300);
  expect((capped.value as { log: string }).log).toHaveLength(201);
  expect(capJson({ keys: "z".repeat(400), more: "w".repeat(400) }, 50)).toMatchObject({
    value: null,
    truncated: true,
  });
});
