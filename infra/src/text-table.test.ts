import { expect, test } from "bun:test";
import { textTable } from "./text-table.ts";

test("pads columns to their widest cell, right-aligns the named ones, trims line ends", () => {
  const text = textTable(
    ["host", "seconds", "result"],
    [
      ["web-1", "12.3", "ok"],
      ["db", "7.0", "failed: no message"],
    ],
    { right: ["seconds"] },
  );
  expect(text.split("\n")).toEqual([
    "host   seconds  result",
    "-----  -------  ------------------",
    "web-1     12.3  ok",
    "db         7.0  failed: no message",
  ]);
});

test("a table without rows is its header and rule", () => {
  expect(textTable(["a", "bb"], [])).toBe("a  bb\n-  --");
});
