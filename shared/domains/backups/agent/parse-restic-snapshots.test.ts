import { expect, test } from "bun:test";
import { join } from "node:path";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { parseResticSnapshots } from "./parse-restic-snapshots.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testcases", name)).text();
const parseFailed = expect.objectContaining({ code: ErrorCode.PARSE_FAILED });

test("restic 0.17+: start, end and size from the snapshot's summary, nanoseconds cut to ms", async () => {
  const { items: snapshots, errors } = parseResticSnapshots(
    await fixture("handwritten-restic-snapshots-0.17/restic-snapshots.json"),
  );
  expect(errors).toEqual([]);
  expect(snapshots).toHaveLength(2);
  expect(snapshots[1]).toEqual({
    id: "9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e",
    hostname: "nas1",
    paths: ["/etc", "/home"],
    started_at: "2026-11-24T01:00:02.004Z",
    ended_at: "2026-11-24T01:02:59.880Z",
    total_bytes: 48329031680,
  });
});

test("before 0.17 there is no summary: no end, no size", async () => {
  expect(
    parseResticSnapshots(await fixture("handwritten-restic-snapshots-0.16-no-summary/restic-snapshots.json"))
      .items,
  ).toEqual([
    {
      id: "b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3",
      hostname: "backup-host",
      paths: ["/srv/data"],
      started_at: "2025-06-01T03:15:00.123Z",
      ended_at: null,
      total_bytes: null,
    },
  ]);
});

test("an empty repository is an empty list", async () => {
  expect(
    parseResticSnapshots(await fixture("handwritten-restic-snapshots-empty/restic-snapshots.json")),
  ).toEqual({
    items: [],
    errors: [],
  });
});

test("output cut short is PARSE_FAILED naming its last line", async () => {
  const text = await fixture("handwritten-restic-snapshots-0.16-no-summary/restic-snapshots.json");
  const cut = text.slice(0, text.indexOf('"hostname"'));
  expect(() => parseResticSnapshots(cut)).toThrow(parseFailed);
  expect(() => parseResticSnapshots(cut)).toThrow(
    expect.objectContaining({ details: expect.objectContaining({ line: cut.trimEnd().split("\n").length }) }),
  );
});

test("an object, not an array, is PARSE_FAILED", () => {
  expect(() => parseResticSnapshots('{"time":"x"}')).toThrow(parseFailed);
});

test.each([
  [
    "a bad time",
    '{"time":"yesterday","id":"0123456789abcdef","short_id":"01234567","hostname":"h","paths":[]}',
    "[0].time",
  ],
  ["a bad id", '{"time":"2025-06-01T03:15:00Z","id":"$(reboot)","hostname":"h","paths":[]}', "[0].id"],
])("%s is an item error; the snapshot beside it is read", async (_, bad, where) => {
  const good = (await fixture("handwritten-restic-snapshots-0.17/restic-snapshots.json")).trim().slice(1, -1);
  const parsed = parseResticSnapshots(`[${bad},${good}]`);
  expect(parsed.items.map((s) => s.id.slice(0, 8))).toEqual(["3f2a9c1d", "9d8e7f6a"]);
  expect(parsed.errors).toMatchObject([
    { error: { code: ErrorCode.PARSE_FAILED, message: expect.stringContaining(where), line: null } },
  ]);
});
