import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { parseDiskstats, selectWholeDisks } from "./parse-diskstats.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testcases", name)).text();

describe("parseDiskstats", () => {
  test("node_exporter capture: every line, 11-, 15- and 17-counter formats", async () => {
    const { items: disks, errors } = parseDiskstats(await fixture("node-exporter-proc/proc-diskstats.txt"));
    expect(errors).toEqual([]);
    expect(disks).toHaveLength(51);
    // "8 0 sda 25354637 34367663 1003346126 18492372 28444756 11134226 505697032 63877960 0 9653880 82621804"
    expect(disks.find((d) => d.name === "sda")).toEqual({
      name: "sda",
      reads: 25354637,
      read_sectors: 1003346126,
      writes: 28444756,
      write_sectors: 505697032,
      io_ticks_ms: 9653880,
    });
    // sdc has 17 counters (kernel 5.5+ flush fields); the first 11 mean the same.
    expect(disks.find((d) => d.name === "sdc")).toEqual({
      name: "sdc",
      reads: 126552,
      read_sectors: 1657779,
      writes: 11822,
      write_sectors: 172905,
      io_ticks_ms: 10730,
    });
  });

  test("selectWholeDisks keeps disks and dm/md/nvme/mmc devices, drops partitions and virtual devices", async () => {
    const kept = selectWholeDisks(
      parseDiskstats(await fixture("node-exporter-proc/proc-diskstats.txt")).items,
    );
    expect(kept.map((d) => d.name)).toEqual([
      "sda",
      "dm-0",
      "dm-1",
      "dm-2",
      "dm-3",
      "dm-4",
      "dm-5",
      "mmcblk0",
      "vda",
      "nvme0n1",
      "sdb",
      "sdc",
    ]);
  });

  test("partition detection needs the parent: dm-10 is not part of dm-1, md127p1 is part of md127", () => {
    const names = [
      "dm-1",
      "dm-10",
      "md127",
      "md127p1",
      "xvda",
      "xvda1",
      "sdaa",
      "sdaa3",
      "nbd1",
      "nbd12",
      "zram0",
    ];
    const kept = selectWholeDisks(names.map((name) => ({ name })));
    expect(kept.map((d) => d.name)).toEqual(["dm-1", "dm-10", "md127", "xvda", "sdaa", "nbd1", "nbd12"]);
  });

  test("pre-2.6.25 partition lines with 4 counters are skipped", () => {
    const disks = parseDiskstats("   8    1 sda1 250 2000 0 0\n   8    0 sda 1 0 8 0 2 0 16 0 0 5 5\n");
    expect(disks.items.map((d) => d.name)).toEqual(["sda"]);
    expect(disks.errors).toEqual([]);
  });

  test("a garbled row is an item error naming its line; the rows around it are read", () => {
    const text =
      "   8    0 sda 1 0 8 0 2 0 16 0 0 5 5\n   8   16 sdb 1 0 8 0 two 0 16 0 0 5 5\n   8   32 sdc 1 2 3\n";
    const { items, errors, names } = parseDiskstats(text);
    expect(items.map((d) => d.name)).toEqual(["sda"]);
    expect(names).toEqual(["sda", "sdb", "sdc"]);
    expect(errors).toEqual([
      {
        name: "sdb",
        error: {
          code: ErrorCode.PARSE_FAILED,
          message: "/proc/diskstats: sdb: counter 5 is not a number (line 2)",
          line: 2,
          excerpt: "   8   16 sdb 1 0 8 0 two 0 16 0 0 5 5",
        },
      },
      expect.objectContaining({ name: "sdc", error: expect.objectContaining({ line: 3 }) }),
    ]);
  });

  test("partitions of a disk whose row could not be read are still partitions", () => {
    const { items, names } = parseDiskstats("8 0 sda x\n8 1 sda1 1 0 8 0 2 0 16 0 0 5 5\n");
    expect(selectWholeDisks(items, names)).toEqual([]);
  });

  test.each([
    ["cut mid-line", "8 0 sda 1 0 8 0 2 0 16 0 0 5 5\n8 16 sdb 1 0"],
    ["a device listed twice", "8 0 sda 1 0 8 0 2 0 16 0 0 5 5\n8 0 sda 1 0 8 0 2 0 16 0 0 5 5\n"],
    ["empty", ""],
  ])("a file that lies (%s) is PARSE_FAILED", (_, text) => {
    expect(() => parseDiskstats(text)).toThrow(expect.objectContaining({ code: ErrorCode.PARSE_FAILED }));
  });
});
