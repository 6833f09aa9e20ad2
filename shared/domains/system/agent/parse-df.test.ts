import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { parseDf } from "./parse-df.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testcases", name)).text();

describe("parseDf", () => {
  test("jc Ubuntu 18.04 capture: 1K-blocks in bytes", async () => {
    const entries = parseDf(await fixture("jc-ubuntu1804/df.txt")).items;
    expect(entries[2]).toEqual({
      filesystem: "/dev/sda2",
      fstype: null,
      size_bytes: 20508240 * 1024,
      used_bytes: 5748028 * 1024,
      available_bytes: 13695408 * 1024,
      use_pct: 30,
      mountpoint: "/",
      approximate: false,
    });
    expect(entries.find((e) => e.mountpoint === "/snap/core18/1223")?.use_pct).toBe(100);
    expect(entries.every((e) => e.mountpoint.startsWith("/"))).toBe(true);
  });

  test("jc CentOS 7.7 `df -h` capture: human sizes, approximate", async () => {
    const entries = parseDf(await fixture("jc-df-h-centos77/df.txt")).items;
    expect(entries.map((e) => e.mountpoint)).toEqual([
      "/dev",
      "/dev/shm",
      "/run",
      "/sys/fs/cgroup",
      "/",
      "/boot",
      "/run/user/1000",
    ]);
    expect(entries[4]).toMatchObject({
      filesystem: "/dev/mapper/centos-root",
      size_bytes: 17 * 1024 ** 3,
      used_bytes: Math.round(1.8 * 1024 ** 3),
      use_pct: 11,
      approximate: true,
    });
    expect(entries[5]?.size_bytes).toBe(1014 * 1024 ** 2);
  });

  test("jc long-filesystem capture: -T -P columns, Capacity `-` for pseudo filesystems", async () => {
    expect(parseDf(await fixture("jc-df-long-filesystem/df.txt")).items).toEqual([
      {
        filesystem: "/dev/mapper/VolGroup00-LogVol00",
        fstype: "ext3",
        size_bytes: 6030784 * 1024,
        used_bytes: 1147932 * 1024,
        available_bytes: 4571556 * 1024,
        use_pct: 21,
        mountpoint: "/",
        approximate: false,
      },
      expect.objectContaining({
        filesystem: "proc",
        fstype: "proc",
        size_bytes: 0,
        use_pct: null,
        mountpoint: "/proc",
      }),
      expect.objectContaining({ filesystem: "sysfs", fstype: "sysfs", use_pct: null, mountpoint: "/sys" }),
    ]);
  });

  test("a name wrapped onto its own line joins the figures on the next; mount points keep spaces", () => {
    const text =
      "Filesystem     1K-blocks    Used Available Use% Mounted on\n" +
      "/dev/mapper/very--long--volume--group-root\n" +
      "                 1000      10       990   1% /srv/my data\n";
    expect(parseDf(text).items).toEqual([
      expect.objectContaining({
        filesystem: "/dev/mapper/very--long--volume--group-root",
        mountpoint: "/srv/my data",
      }),
    ]);
  });

  test.each([
    ["a cut row", "/dev/sda1 100 1\n", [2]],
    ["a size that is not a number", "/dev/sda1 1.5G 1 99 1% /\n", [2]],
    ["a dangling wrapped name", "/dev/very-long\n", [2]],
    ["a wrapped name whose figures are not indented", "/dev/very-long\n1000 10 990 1% /x\n", [2, 3]],
  ])("%s is an item error naming its line; the row after it is read", (_, bad, lines) => {
    const text = `Filesystem 1K-blocks Used Available Use% Mounted on\n${bad}/dev/sdb1 100 1 99 1% /data\n`;
    const { items, errors } = parseDf(text);
    expect(items.map((e) => e.mountpoint)).toEqual(["/data"]);
    expect(errors.map((e) => [e.error.code, e.error.line])).toEqual(
      lines.map((line) => [ErrorCode.PARSE_FAILED, line]),
    );
  });

  test.each([
    ["no header", "/dev/sda1 100 1 99 1% /\n", 1],
    [
      "a second header",
      "Filesystem 1K-blocks Used Available Use% Mounted on\n/dev/sda1 100 1 99 1% /\nFilesystem 1K-blocks Used Available Use% Mounted on\n",
      3,
    ],
  ])("%s is PARSE_FAILED naming the line", (_, text, line) => {
    expect(() => parseDf(text)).toThrow(
      expect.objectContaining({ code: ErrorCode.PARSE_FAILED, details: expect.objectContaining({ line }) }),
    );
  });
});
