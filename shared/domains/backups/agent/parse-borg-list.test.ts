import { expect, test } from "bun:test";
import { join } from "node:path";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { borgArchiveInstant, parseBorgList } from "./parse-borg-list.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testcases", name)).text();

test("borg 1.2: archives with local times (no zone), microseconds cut to ms", async () => {
  const { items: archives, errors } = parseBorgList(
    await fixture("handwritten-borg-list-1.2/borg-list.json"),
  );
  expect(errors).toEqual([]);
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
  ).items;
  expect(a).toMatchObject({ time: "2026-11-24T03:00:03.500+01:00", zone: "offset" });
  expect(a && borgArchiveInstant(a).toISOString()).toBe("2026-11-24T02:00:03.500Z");
});

test.each([
  ["garbage", "Repository /x does not exist."],
  ["no archives key", '{"repository":{"location":"/x"}}'],
  ["cut short", '{"archives": [{"name": "x",'],
])("%s is PARSE_FAILED", (_, text) => {
  expect(() => parseBorgList(text)).toThrow(expect.objectContaining({ code: ErrorCode.PARSE_FAILED }));
});

test("an archive without a time or with a bad id is an item error named by its name; the others are read", async () => {
  const doc = JSON.parse(await fixture("handwritten-borg-list-1.2/borg-list.json")) as {
    archives: Record<string, unknown>[];
  };
  const [first, second] = doc.archives;
  const { time: _t, start: _s, ...timeless } = first ?? {};
  doc.archives = [timeless, { ...second, id: "$(reboot)" }, second ?? {}];
  const parsed = parseBorgList(JSON.stringify(doc));
  expect(parsed.items.map((a) => a.name)).toEqual(["nas1-2026-11-24T03:00:00"]);
  expect(parsed.errors).toMatchObject([
    {
      name: "nas1-2026-11-23T03:00:00",
      error: { code: ErrorCode.PARSE_FAILED, message: expect.stringContaining("archives[0].time") },
    },
    {
      name: "nas1-2026-11-24T03:00:00",
      error: { code: ErrorCode.PARSE_FAILED, message: expect.stringContaining("archives[1].id") },
    },
  ]);
});
