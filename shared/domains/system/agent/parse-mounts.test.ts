import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { parseMounts, selectMounts, unescapeOctal } from "./parse-mounts.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testcases", name)).text();

describe("parseMounts", () => {
  test("Ubuntu 18.04 mount table (derived from a real `mount` capture): only the ext4 root is real", async () => {
    const { items: entries, errors } = parseMounts(await fixture("jc-ubuntu1804/mounts.txt"));
    expect(errors).toEqual([]);
    expect(entries).toHaveLength(43);
    expect(entries[5]).toEqual({
      device: "/dev/sda2",
      mountpoint: "/",
      fstype: "ext4",
      options: "rw,relatime,data=ordered",
    });
    // sysfs, cgroups, squashfs snaps, lxcfs, autofs, hugetlbfs, tmpfs ... are all pseudo filesystems.
    expect(selectMounts(entries).map((m) => m.mountpoint)).toEqual(["/"]);
  });

  test("handwritten table: escapes decoded, bind mount deduplicated (first wins), pseudo skipped", async () => {
    const selected = selectMounts(
      parseMounts(await fixture("handwritten-proc-mounts-escapes/mounts.txt")).items,
    );
    expect(selected.map((m) => [m.device, m.mountpoint, m.fstype])).toEqual([
      ["/dev/sda2", "/", "ext4"],
      ["/dev/sdb1", "/mnt/My Disk", "ext4"],
      ["server:/export", "/mnt/nfs", "nfs4"],
      ["/dev/sdc1", "/mnt/tab\tand\\back", "xfs"],
    ]);
  });

  test("unescapeOctal decodes kernel escapes only", () => {
    expect(unescapeOctal("/a\\040b\\012c\\134d\\9")).toBe("/a b\nc\\d\\9");
  });

  test.each([
    ["mount(8) format", "/dev/sda2 on / type ext4 (rw)\n"],
    ["too few fields", "/dev/sda2 / ext4\n"],
    ["non-numeric dump", "/dev/sda2 / ext4 rw x 0\n"],
  ])("a line that cannot be read (%s) is an item error; the next line is still read", (_, text) => {
    const { items, errors } = parseMounts(`${text}/dev/sdb1 /data xfs rw 0 0\n`);
    expect(items.map((m) => m.mountpoint)).toEqual(["/data"]);
    expect(errors).toEqual([
      expect.objectContaining({ error: expect.objectContaining({ code: ErrorCode.PARSE_FAILED, line: 1 }) }),
    ]);
  });

  test("this machine's table with identical lines (a filesystem mounted twice on one place) is whole", async () => {
    const { items, errors } = parseMounts(await fixture("local-dev-vm/mounts.txt"));
    expect(errors).toEqual([]);
    expect(items.filter((m) => m.mountpoint === "/dev/pts")).toHaveLength(2);
  });

  test.each([
    ["cut mid-line", "/dev/sda2 / ext4 rw 0 0\n/dev/sdb1 /da"],
    [
      "the table starts over",
      "/dev/sda2 / ext4 rw 0 0\nproc /proc proc rw 0 0\n/dev/sda2 / ext4 rw 0 0\nproc /proc proc rw 0 0\n",
    ],
  ])("a table that lies (%s) is PARSE_FAILED", (_, text) => {
    expect(() => parseMounts(text)).toThrow(expect.objectContaining({ code: ErrorCode.PARSE_FAILED }));
  });
});
