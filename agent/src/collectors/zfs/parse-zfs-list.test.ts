import { describe, expect, test } from "bun:test";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { fixture } from "./fixtures.ts";
import { isDatasetName, parseZfsDatasets, parseZfsSnapshots, snapshotDataset } from "./parse-zfs-list.ts";

const parseFailedAt = (line: number): unknown =>
  expect.objectContaining({ code: ErrorCode.PARSE_FAILED, details: expect.objectContaining({ line }) });

describe("parseZfsDatasets", () => {
  test("telegraf's FreeBSD 14 capture (-o name,avail,used,usedsnap,usedds; `-` where not reported)", async () => {
    const text = await fixture("telegraf__zfs_list_Hp_datasets_freebsd14.txt");
    const datasets = parseZfsDatasets(text, ["name", "avail", "used", "usedsnap", "usedds"]);
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
    const datasets = parseZfsDatasets(await fixture("handwritten__zfs_list_datasets.txt"));
    expect(datasets.map((d) => [d.name, d.type])).toEqual([
      ["tank", "filesystem"],
      ["tank/data", "filesystem"],
      ["tank/vm-100-disk-0", "volume"],
    ]);
    expect(datasets[1]).toMatchObject({ refer_bytes: 966367641600, usedsnap_bytes: 107374182400 });
  });

  test("the FreeBSD capture read with the collector's columns is refused at line 1", async () => {
    const text = await fixture("telegraf__zfs_list_Hp_datasets_freebsd14.txt");
    expect(() => parseZfsDatasets(text)).toThrow(parseFailedAt(1));
  });

  test.each([
    ["a bad name", "tank/../x\tfilesystem\t1\t1\t1\t0\t1\n"],
    ["a bad type", "tank\tsnapshot\t1\t1\t1\t0\t1\n"],
    ["a negative size", "tank\tfilesystem\t-1\t1\t1\t0\t1\n"],
  ])("%s is PARSE_FAILED", (_, text) => {
    expect(() => parseZfsDatasets(text)).toThrow(parseFailedAt(1));
  });
});

describe("parseZfsSnapshots", () => {
  test("node-exporter-textfile-collector-scripts mock (-o name,used,creation)", async () => {
    const text = await fixture("textfile-collector__zfs_list_pH_snapshot_name_used_creation.txt");
    const snapshots = parseZfsSnapshots(text, ["name", "used", "creation"]);
    expect(snapshots).toHaveLength(4);
    expect(snapshots[1]).toEqual({
      name: "zpool/vol/0@snapshot-name",
      used_bytes: 128,
      refer_bytes: null,
      created_s: 1685085436,
    });
  });

  test("the collector's own columns (handwritten)", async () => {
    const snapshots = parseZfsSnapshots(await fixture("handwritten__zfs_list_snapshots.txt"));
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
  ])("%s is PARSE_FAILED", (_, text) => {
    expect(() => parseZfsSnapshots(text)).toThrow(parseFailedAt(1));
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
