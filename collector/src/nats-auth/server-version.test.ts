import { expect, test } from "bun:test";
import { crashesOnWildcardReply } from "./server-version.ts";

test("servers before 2.9.15 are the ones a wildcard reply through a service import crashes", () => {
  const cases: [string, boolean][] = [
    ["2.9.10", true],
    ["v2.9.14", true],
    ["2.2.0", true],
    ["2.9.15", false],
    ["2.10.0", false],
    ["2.12.1", false],
    ["3.0.0", false],
    ["2.9.15-RC.4", false],
    ["nonsense", false],
  ];
  expect(cases.map(([v]) => [v, crashesOnWildcardReply(v)])).toEqual(cases);
});
