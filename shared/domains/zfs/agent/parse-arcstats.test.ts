import { expect, test } from "bun:test";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { parseArcstats } from "./parse-arcstats.ts";
import { fixture } from "./testing/captures.ts";

test("node_exporter capture", async () => {
  expect(parseArcstats(await fixture("node-exporter-arcstats/arcstats.txt"))).toEqual({
    size_bytes: 1603939792,
    target_bytes: 1643208777,
    min_bytes: 33554432,
    max_bytes: 8367976448,
    hits: 8772612,
    misses: 604635,
    mru_size_bytes: 402593792,
    mfu_size_bytes: 1066623488,
    l2_hits: 0,
    l2_misses: 0,
    l2_size_bytes: 0,
  });
});

test("telegraf issue 17952 capture (OpenZFS 2.2: iohits, counters past 2^32)", async () => {
  const arc = parseArcstats(await fixture("telegraf-linux-issue-17952/arcstats.txt"));
  expect(arc).toMatchObject({
    hits: 33266704081,
    misses: 30882817,
    size_bytes: 14960038920,
    max_bytes: 32458756096,
  });
});

test.each([
  ["empty", "", 1],
  ["no column line", "6 1 0x01 91 4368 5266997922 97951858082072\nhits 4 1\n", 2],
  [
    "a value that is not a number",
    "6 1 0x01 91 4368 5266997922 97951858082072\nname type data\nhits 4 many\n",
    3,
  ],
])("%s is PARSE_FAILED at its line", (_, text, line) => {
  expect(() => parseArcstats(text)).toThrow(
    expect.objectContaining({ code: ErrorCode.PARSE_FAILED, details: expect.objectContaining({ line }) }),
  );
});

test("a statistic the collector needs is missing: PARSE_FAILED naming it", () => {
  const text = "6 1 0x01 91 4368 5266997922 97951858082072\nname type data\nhits 4 1\n";
  expect(() => parseArcstats(text)).toThrow(/no misses statistic|no size statistic/);
});
