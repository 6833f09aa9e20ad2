import { expect, test } from "bun:test";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { fixture } from "./fixtures.ts";
import { parseZpoolList } from "./parse-zpool-list.ts";

test("FreeNAS: fragmentation `-` and `8%`, dedup `1.83x`", async () => {
  const pools = parseZpoolList(await fixture("telegraf__zpool_list_Hp_freenas.txt"));
  expect(pools.map((p) => p.name)).toEqual(["freenas-boot", "red1", "temp1", "temp2"]);
  expect(pools[0]).toEqual({
    name: "freenas-boot",
    health: "ONLINE",
    size_bytes: 30601641984,
    alloc_bytes: 2022177280,
    free_bytes: 28579464704,
    fragmentation_pct: null,
    capacity_pct: 6,
    dedup_ratio: 1,
  });
  expect([pools[1]?.fragmentation_pct, pools[1]?.dedup_ratio, pools[1]?.size_bytes]).toEqual([
    8, 1.83, 8933531975680,
  ]);
});

test("FreeBSD 14: plain numbers", async () => {
  expect(parseZpoolList(await fixture("telegraf__zpool_list_Hp_freebsd14.txt"))).toEqual([
    {
      name: "zroot",
      health: "ONLINE",
      size_bytes: 67108864000,
      alloc_bytes: 11959578624,
      free_bytes: 55149285376,
      fragmentation_pct: 4,
      capacity_pct: 17,
      dedup_ratio: 1,
    },
  ]);
});

test("an empty listing (no pools) is an empty list", () => {
  expect(parseZpoolList("")).toEqual([]);
});

test.each([
  ["a truncated line", "zroot\tONLINE\t67108864000\t11959578624\n", 1],
  [
    "a size that is not a number",
    "ok\tONLINE\t1\t1\t1\t-\t1\t1.00\nzroot\tONLINE\tbig\t1\t1\t4\t17\t1.00\n",
    2,
  ],
  ["health in lower case", "zroot\tonline\t1\t1\t1\t4\t17\t1.00\n", 1],
  ["a capacity over 100", "zroot\tONLINE\t1\t1\t1\t4\t170\t1.00\n", 1],
])("%s is PARSE_FAILED at its line", (_, text, line) => {
  expect(() => parseZpoolList(text)).toThrow(
    expect.objectContaining({ code: ErrorCode.PARSE_FAILED, details: expect.objectContaining({ line }) }),
  );
});
