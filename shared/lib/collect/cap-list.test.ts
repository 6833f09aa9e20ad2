import { expect, test } from "bun:test";
import { capList, capSource } from "./cap-list.ts";

test("capList keeps the first items and counts the rest", () => {
  expect(capList([1, 2, 3], 3)).toEqual({ items: [1, 2, 3], truncated: 0 });
  expect(capList([1, 2, 3, 4, 5], 2)).toEqual({ items: [1, 2], truncated: 3 });
  expect(capList([], 0)).toEqual({ items: [], truncated: 0 });
});

test("capSource states the count as `truncated`, leaves fitting lists and failures as they are", () => {
  expect(capSource({ ok: true, value: [1, 2] }, 2)).toEqual({ ok: true, value: [1, 2] });
  expect(capSource({ ok: true, value: [1, 2, 3] }, 1)).toEqual({ ok: true, value: [1], truncated: 2 });
  const failed = { ok: false as const, error: { code: "COMMAND_FAILED", message: "x" } };
  expect(capSource(failed, 1)).toBe(failed);
});
