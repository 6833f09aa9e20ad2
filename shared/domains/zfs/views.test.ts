import { describe, expect, test } from "bun:test";
import { itemsResult } from "@infrastructor/lib/collect/parse-items.ts";
import { parseZpoolStatus } from "./agent/parse-zpool-status.ts";
import { fixture } from "./agent/testing/captures.ts";
import { type ZfsData, ZfsDataSchema } from "./schema.ts";
import { deviceErrors, memberFine, POOL_FULL_PCT, poolErrors, poolFull, poolSummaries } from "./views.ts";

/** A real `zpool status -v` (illumos) with checksum errors on a disk, on two raidz vdevs' rows and on the pool row. */
async function vol2(capacityPct: number | null = 50): Promise<ZfsData> {
  const status = parseZpoolStatus(await fixture("pastebin-illumos-raidz-cksum/zpool-status.txt"));
  return ZfsDataSchema.parse({
    pools: {
      ok: true,
      value: [
        {
          name: "vol2",
          health: "DEGRADED",
          size_bytes: 1000,
          alloc_bytes: 500,
          free_bytes: 500,
          fragmentation_pct: 3,
          capacity_pct: capacityPct,
          dedup_ratio: 1,
        },
      ],
    },
    status: itemsResult(status),
    datasets: { ok: true, value: [] },
    snapshots: null,
    arc: { ok: false, error: { code: "NOT_FOUND", message: "no arcstats" } },
  });
}

describe("poolSummaries", () => {
  test("device errors are the leaves' counters; the pool row's own are apart, never added", async () => {
    const [pool] = poolSummaries(await vol2());
    // Leaves: only c8t5000C50072E0A897d0 counted 2; raidz1-1 (84) and the pool row (41) count the
    // failures their children could not repair, not more devices' errors.
    expect(pool?.device_errors).toEqual({ read: 0, write: 0, cksum: 2 });
    expect(pool?.pool_errors).toEqual({ read: 0, write: 0, cksum: 41 });
    expect(pool?.state).toBe("DEGRADED");
  });

  test("the join names every pool either command saw, and the unread ones", async () => {
    const data = await vol2();
    const both: ZfsData = {
      ...data,
      pools: data.pools.ok
        ? { ok: true, value: [...data.pools.value, { ...data.pools.value[0], name: "listed" } as never] }
        : data.pools,
      status: data.status.ok
        ? {
            ...data.status,
            item_errors: [
              {
                name: "hidden",
                error: { code: "PARSE_FAILED", message: "bad block", line: 3, excerpt: null },
              },
            ],
          }
        : data.status,
    };
    const byName = new Map(poolSummaries(both).map((s) => [s.name, s]));
    expect([...byName.keys()]).toEqual(["vol2", "listed", "hidden"]);
    expect(byName.get("listed")).toMatchObject({ status: null, device_errors: null, pool_errors: null });
    expect(byName.get("hidden")).toMatchObject({
      list: null,
      state: "UNKNOWN",
      unread: { code: "PARSE_FAILED" },
    });
  });

  test("without a status block the totals are unknown (null), not zero", () => {
    expect(deviceErrors(undefined)).toBeNull();
    expect(poolErrors(null)).toBeNull();
  });
});

describe("pool full", () => {
  test("one threshold: at or over it, never for a pool without a capacity", async () => {
    expect(POOL_FULL_PCT).toBe(90);
    expect(poolFull({ capacity_pct: 90 }, POOL_FULL_PCT)).toBe(true);
    expect(poolFull({ capacity_pct: 89 }, POOL_FULL_PCT)).toBe(false);
    expect(poolFull({ capacity_pct: null }, 1)).toBe(false);
    expect(poolSummaries(await vol2(85))[0]?.full).toBe(false);
    expect(poolSummaries(await vol2(85), 80)[0]?.full).toBe(true);
  });
});

test("memberFine: a member in use, a spare ready or in service; a section header has no state to judge", () => {
  expect(["ONLINE", "AVAIL", "INUSE", null].map(memberFine)).toEqual([true, true, true, true]);
  expect(["DEGRADED", "FAULTED", "OFFLINE", "UNAVAIL", "REMOVED"].map(memberFine)).toEqual([
    false,
    false,
    false,
    false,
    false,
  ]);
});
