import { expect, test } from "bun:test";
import { RowBuffers } from "@infrastructor/collector/ingest/row-buffers.ts";
import { poolSummaries } from "@infrastructor/domains/zfs/views.ts";
import { itemsResult } from "@infrastructor/lib/collect/parse-items.ts";
import { parseZpoolStatus } from "../agent/parse-zpool-status.ts";
import { fixture } from "../agent/testing/captures.ts";
import { type ZfsData, ZfsDataSchema } from "../schema.ts";
import { ZFS_TABLES, zfsWriter } from "./writer.ts";

const data: ZfsData = ZfsDataSchema.parse({
  pools: {
    ok: true,
    value: [
      {
        name: "tank",
        health: "ONLINE",
        size_bytes: 10,
        alloc_bytes: 4,
        free_bytes: 6,
        fragmentation_pct: null,
        capacity_pct: 40,
        dedup_ratio: 1,
      },
    ],
  },
  status: { ok: false, error: { code: "COMMAND_FAILED", message: "zpool status exited 1" } },
  datasets: { ok: true, value: [] },
  snapshots: null,
  arc: {
    ok: true,
    value: {
      size_bytes: 1,
      target_bytes: 2,
      min_bytes: 1,
      max_bytes: 3,
      hits: 5,
      misses: 1,
      mru_size_bytes: null,
      mfu_size_bytes: null,
      l2_hits: null,
      l2_misses: null,
      l2_size_bytes: null,
    },
  },
});

test("every COPY line has one field per column of its table; unknown values are \\N", () => {
  const out = new RowBuffers();
  zfsWriter.addRows(out, 7, new Date("2026-11-25T00:00:00Z"), data);
  expect(out.rowCount()).toBe(zfsWriter.rowCount(data));
  for (const table of Object.values(ZFS_TABLES)) {
    const lines = new TextDecoder().decode(out.copyData(table.name)).trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect([table.name, lines[0]?.split("\t").length]).toEqual([table.name, table.columns.length]);
  }
  const pool = new TextDecoder().decode(out.copyData("zfs_pool_metrics")).trimEnd().split("\t");
  // no status: error counters unknown, not zero
  expect(pool.slice(8)).toEqual(["\\N", "\\N", "\\N", "\\N", "\\N"]);
});

test("an UNAVAIL pool's null sizes are \\N in its metrics row, never the text `null`", () => {
  const unavail = ZfsDataSchema.parse({
    ...data,
    pools: {
      ok: true,
      value: [
        {
          name: "backup",
          health: "UNAVAIL",
          size_bytes: null,
          alloc_bytes: null,
          free_bytes: null,
          fragmentation_pct: null,
          capacity_pct: null,
          dedup_ratio: null,
        },
      ],
    },
  });
  const out = new RowBuffers();
  zfsWriter.addRows(out, 7, new Date("2026-11-25T00:00:00Z"), unavail);
  const row = new TextDecoder().decode(out.copyData("zfs_pool_metrics")).trimEnd().split("\t");
  expect(row.slice(2, 8)).toEqual(["backup", "UNAVAIL", "\\N", "\\N", "\\N", "\\N"]);
});

test("a pool's error columns count each failure once: per counter the devices' total or the pool row's, the larger", async () => {
  // A real zpool status: CKSUM 2 on one disk, 84 on raidz1-1's row, 41 on the pool row. Summing every
  // row (127) counted each unrepaired failure again at each level above the disk; the disk alone (2)
  // would hide the 41 failures the pool saw past its redundancy.
  const status = parseZpoolStatus(await fixture("pastebin-illumos-raidz-cksum/zpool-status.txt"));
  const vol2 = ZfsDataSchema.parse({
    ...data,
    pools: { ok: true, value: [{ ...(data.pools.ok ? data.pools.value[0] : {}), name: "vol2" }] },
    status: itemsResult(status),
  });
  const out = new RowBuffers();
  zfsWriter.addRows(out, 7, new Date("2026-11-25T00:00:00Z"), vol2);
  const row = new TextDecoder().decode(out.copyData("zfs_pool_metrics")).trimEnd().split("\t");
  const columns = ZFS_TABLES.zfs_pool_metrics.columns;
  const at = (c: (typeof columns)[number]): string | undefined => row[columns.indexOf(c)];
  expect([at("read_errors"), at("write_errors"), at("cksum_errors"), at("data_errors")]).toEqual([
    "0",
    "0",
    "41",
    "2",
  ]);
  expect(poolSummaries(vol2)[0]?.device_errors).toEqual({ read: 0, write: 0, cksum: 2 });
  expect(poolSummaries(vol2)[0]?.errors).toEqual({ read: 0, write: 0, cksum: 41 });
});
