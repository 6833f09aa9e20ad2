import { expect, test } from "bun:test";
import { join } from "node:path";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { borgArchiveInstant, parseBorgList } from "./parse-borg-list.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testdata", name)).text();

test("borg 1.2: archives with local times (no zone), microseconds cut to ms", async () => {
  const archives = parseBorgList(await fixture("handwritten__borg_list_1.2.json"));
  expect(archives.map((a) => [a.name, a.time, a.zone])).toEqual([
    ["nas1-2026-11-23T03:00:00", "2026-11-23T03:00:04.000", "local"],
    ["nas1-2026-11-24T03:00:00", "2026-11-24T03:00:03.000", "local"],
  ]);
  // Local: read in the agent's time zone, which is the host's.
  const expected = new Date(2026, 10, 24, 3, 0, 3).getTime();
  expect(borgArchiveInstant(archives[1] as (typeof archives)[number]).getTime()).toBe(expected);
});

test("a time with an offset (borg 2) is an instant; `start` stands in for a missing `time`", () => {
  const id = "a".repeat(64);
  const [a] = parseBorgList(
    JSON.stringify({ archives: [{ name: "x", id, start: "2026-11-24T03:00:03.5+01:00" }] }),
  );
  expect(a).toMatchObject({ time: "2026-11-24T03:00:03.500+01:00", zone: "offset" });
  expect(a && borgArchiveInstant(a).toISOString()).toBe("2026-11-24T02:00:03.500Z");
});

test.each([
  ["garbage", "Repository /x does not exist."],
  ["no archives key", '{"repository":{"location":"/x"}}'],
  ["an archive without a time", `{"archives":[{"name":"x","id":"${"a".repeat(64)}"}]}`],
  ["cut short", '{"archives": [{"name": "x",'],
])("%s is PARSE_FAILED", (_, text) => {
  expect(() => parseBorgList(text)).toThrow(expect.objectContaining({ code: ErrorCode.PARSE_FAILED }));
});
