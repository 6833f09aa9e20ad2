import { expect, test } from "bun:test";
import { ZfsPoolSchema } from "../schema.ts";
import { parseZpoolList } from "./parse-zpool-list.ts";
import { fixture } from "./testing/captures.ts";

test("FreeNAS: fragmentation `-` and `8%`, dedup `1.83x`", async () => {
  const { items: pools, errors } = parseZpoolList(await fixture("telegraf-freenas/zpool-list.txt"));
  expect(errors).toEqual([]);
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
  expect(parseZpoolList(await fixture("telegraf-freebsd14/zpool-list.txt"))).toEqual({
    items: [
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
    ],
    errors: [],
  });
});

test("UNAVAIL and FAULTED pools (`-` for every space column) parse with null sizes beside the healthy ones", async () => {
  const { items, errors } = parseZpoolList(await fixture("handwritten-unavail-faulted/zpool-list.txt"));
  expect(errors).toEqual([]);
  expect(items.map((p) => [p.name, p.health, p.size_bytes, p.capacity_pct, p.dedup_ratio])).toEqual([
    ["tank", "ONLINE", 11994890469376, 36, 1],
    ["backup", "UNAVAIL", null, null, null],
    ["scratch", "FAULTED", null, null, null],
    ["fast", "DEGRADED", 1992864825344, 75, 1],
  ]);
  expect(items[1]).toEqual({
    name: "backup",
    health: "UNAVAIL",
    size_bytes: null,
    alloc_bytes: null,
    free_bytes: null,
    fragmentation_pct: null,
    capacity_pct: null,
    dedup_ratio: null,
  });
  for (const pool of items) expect(ZfsPoolSchema.parse(pool)).toEqual(pool);
  // Releases that still print the ratio of an unavailable pool.
  expect(parseZpoolList("scratch\tFAULTED\t-\t-\t-\t-\t-\t1.00x\n").items[0]?.dedup_ratio).toBe(1);
});

test("an empty listing (no pools) is an empty list", () => {
  expect(parseZpoolList("")).toEqual({ items: [], errors: [] });
});

test.each([
  ["a truncated line", "zroot\tONLINE\t67108864000\t11959578624\n", 1, "zroot"],
  [
    "a size that is not a number",
    "ok\tONLINE\t1\t1\t1\t-\t1\t1.00\nzroot\tONLINE\tbig\t1\t1\t4\t17\t1.00\n",
    2,
    "zroot",
  ],
  ["health in lower case", "zroot\tonline\t1\t1\t1\t4\t17\t1.00\n", 1, "zroot"],
  ["a capacity over 100", "zroot\tONLINE\t1\t1\t1\t4\t170\t1.00\n", 1, "zroot"],
])("%s is that pool's item error at its line; the other pools stand", (_, text, line, name) => {
  const good = "tank\tONLINE\t10\t4\t6\t1\t40\t1.00\n";
  const { items, errors } = parseZpoolList(`${good}${text}`);
  expect(items.map((p) => p.name)).toContain("tank");
  expect(items.map((p) => p.name)).not.toContain(name);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({ name, error: { code: "PARSE_FAILED", line: line + 1 } });
});
