import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { parseMounts, selectMounts, unescapeOctal } from "./parse-mounts.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testdata", name)).text();

describe("parseMounts", () => {
  test("Ubuntu 18.04 mount table (derived from a real `mount` capture): only the ext4 root is real", async () => {
    const entries = parseMounts(await fixture("derived__proc_mounts_ubuntu1804.txt"));
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
    const selected = selectMounts(parseMounts(await fixture("handwritten__proc_mounts_escapes.txt")));
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
  ])("garbage (%s) is PARSE_FAILED", (_, text) => {
    expect(() => parseMounts(text)).toThrow(expect.objectContaining({ code: ErrorCode.PARSE_FAILED }));
  });
});
