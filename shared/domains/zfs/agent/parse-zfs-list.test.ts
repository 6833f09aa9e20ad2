import { describe, expect, test } from "bun:test";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import type { ItemError } from "@infrastructor/shared/schemas/source-result.ts";
import { isDatasetName, parseZfsDatasets, parseZfsSnapshots, snapshotDataset } from "./parse-zfs-list.ts";
import { fixture } from "./testing/captures.ts";

/** The only item error of a parse: PARSE_FAILED at that line, named by the line's first field. */
const itemErrorAt = (line: number, name: string): ItemError[] => [
  expect.objectContaining({ name, error: expect.objectContaining({ code: ErrorCode.PARSE_FAILED, line }) }),
];

describe("parseZfsDatasets", () => {
  test("telegraf's FreeBSD 14 capture (-o name,avail,used,usedsnap,usedds; `-` where not reported)", async () => {
    const text = await fixture("telegraf-freebsd14/zfs-list.txt");
    const { items: datasets, errors } = parseZfsDatasets(text, [
      "name",
      "avail",
      "used",
      "usedsnap",
      "usedds",
    ]);
    expect(errors).toEqual([]);
    expect(datasets).toHaveLength(14);
    expect(datasets[0]).toEqual({
      name: "zroot",
      type: null,
      used_bytes: 11959443456,
      avail_bytes: 53069045760,
      refer_bytes: null,
      usedsnap_bytes: null,
      usedds_bytes: null,
    });
    expect(datasets.at(-1)?.name).toBe("zroot/var/tmp");
  });

  test("the collector's own columns (handwritten, zfs-list(8) -Hp format)", async () => {
    const datasets = parseZfsDatasets(await fixture("handwritten-tank-backup/zfs-list.txt")).items;
    expect(datasets.map((d) => [d.name, d.type])).toEqual([
      ["tank", "filesystem"],
      ["tank/data", "filesystem"],
      ["tank/vm-100-disk-0", "volume"],
    ]);
    expect(datasets[1]).toMatchObject({ refer_bytes: 966367641600, usedsnap_bytes: 107374182400 });
  });

  test("the FreeBSD capture read with the collector's columns: every line is an item error, none is a dataset", async () => {
    const text = await fixture("telegraf-freebsd14/zfs-list.txt");
    const { items, errors } = parseZfsDatasets(text);
    expect(items).toEqual([]);
    expect(errors).toHaveLength(14);
    expect(errors[0]).toMatchObject({ name: "zroot", error: { code: "PARSE_FAILED", line: 1 } });
  });

  test.each([
    ["a bad name", "tank/../x\tfilesystem\t1\t1\t1\t0\t1\n"],
    ["a bad type", "tank\tsnapshot\t1\t1\t1\t0\t1\n"],
    ["a negative size", "tank\tfilesystem\t-1\t1\t1\t0\t1\n"],
  ])("%s is that dataset's item error; the next dataset is still read", (_, text) => {
    const { items, errors } = parseZfsDatasets(`${text}tank/ok\tfilesystem\t1\t1\t1\t0\t1\n`);
    expect(items.map((d) => d.name)).toEqual(["tank/ok"]);
    expect(errors).toEqual(itemErrorAt(1, text.split("\t")[0] as string));
  });
});

describe("parseZfsSnapshots", () => {
  test("node-exporter-textfile-collector-scripts mock (-o name,used,creation)", async () => {
    const text = await fixture("textfile-collector-snapshots/zfs-snapshots.txt");
    const snapshots = parseZfsSnapshots(text, ["name", "used", "creation"]).items;
    expect(snapshots).toHaveLength(4);
    expect(snapshots[1]).toEqual({
      name: "zpool/vol/0@snapshot-name",
      used_bytes: 128,
      refer_bytes: null,
      created_s: 1685085436,
    });
  });

  test("the collector's own columns (handwritten)", async () => {
    const snapshots = parseZfsSnapshots(await fixture("handwritten-tank-backup/zfs-snapshots.txt")).items;
    expect(snapshots.map((s) => [snapshotDataset(s.name), s.created_s])).toEqual([
      ["tank/data", 1709251201],
      ["tank/data", 1709337601],
      ["tank/vm-100-disk-0", 1709200000],
    ]);
    expect(snapshots[0]?.refer_bytes).toBe(955630223360);
  });

  test.each([
    ["a dataset, not a snapshot", "tank/data\t1\t1\t1709251201\n"],
    ["a creation date that is not epoch seconds", "tank@a\t1\t1\tMon Mar  4 2024\n"],
    ["a truncated line", "tank@a\t1\n"],
  ])("%s is that snapshot's item error; the next snapshot is still read", (_, text) => {
    const { items, errors } = parseZfsSnapshots(`${text}tank@ok\t1\t1\t1709251201\n`);
    expect(items.map((s) => s.name)).toEqual(["tank@ok"]);
    expect(errors).toEqual(itemErrorAt(1, text.split("\t")[0] as string));
  });
});

test("isDatasetName admits ZFS names only", () => {
  expect(["tank", "tank/data", "rpool/ROOT/pve-1", "a.b:c_d-e"].every(isDatasetName)).toBe(true);
  expect(
    [
      "",
      "-o",
      "tank/",
      "/tank",
      "tank/..",
      ".",
      "tank//x",
      "tank@snap",
      "tank data",
      "tank;rm",
      "x".repeat(256),
    ].some(isDatasetName),
  ).toBe(false);
});
