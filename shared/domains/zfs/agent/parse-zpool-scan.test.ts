import { describe, expect, test } from "bun:test";
import { type ZfsScan, ZfsScanSchema } from "../schema.ts";
import { parseScan } from "./parse-zpool-scan.ts";

/**
 * Every line below is built from the format strings of the function named in its test (OpenZFS
 * cmd/zpool/zpool_main.c; robn/zfs cmd/zpool/zpool_status.c for the 2.3 functions; Solaris' print_scrub_status
 * for the `scrub:` entry), with the `%s` of ctime(3) and of zfs_nicebytes/zfs_nicenum filled in.
 */
const base = { done_pct: null, repaired_bytes: null, errors: null, at_local: null };
const scan = (first: string, ...more: string[]): ZfsScan => {
  const parsed = parseScan(first, more);
  expect(ZfsScanSchema.parse(parsed)).toEqual(parsed);
  return parsed;
};

describe("print_scan_scrub_resilver_status", () => {
  test("no scan: `none requested`", () => {
    expect(scan("none requested")).toEqual({ ...base, function: "none", state: "none" });
  });

  test("DSS_FINISHED scrub: `scrub repaired %s in %s with %llu errors on %s` (secs_to_dhms without days)", () => {
    expect(scan("scrub repaired 1.50M in 11:16:03 with 2 errors on Sun Feb 12 11:40:04 2023")).toEqual({
      ...base,
      function: "scrub",
      state: "finished",
      repaired_bytes: 1572864,
      errors: 2,
      at_local: "2023-02-12T11:40:04",
    });
  });

  test("DSS_FINISHED scrub, secs_to_dhms with days: `in 3 days 01:02:03`", () => {
    expect(
      scan("scrub repaired 0B in 3 days 01:02:03 with 0 errors on Mon Mar  4 05:06:07 2024"),
    ).toMatchObject({
      function: "scrub",
      state: "finished",
      repaired_bytes: 0,
      at_local: "2024-03-04T05:06:07",
    });
  });

  test("DSS_FINISHED scrub of ZoL 0.7: `scrub repaired 0 in 0h5m with 0 errors on %s`", () => {
    expect(scan("scrub repaired 0 in 0h5m with 0 errors on Sun Jan 14 00:29:01 2018")).toMatchObject({
      function: "scrub",
      state: "finished",
      repaired_bytes: 0,
      errors: 0,
      at_local: "2018-01-14T00:29:01",
    });
  });

  test("DSS_FINISHED resilver: `resilvered %s in %s with %llu errors on %s`", () => {
    expect(scan("resilvered 21K in 00:00:00 with 0 errors on Sat Feb 10 20:30:44 2024")).toEqual({
      ...base,
      function: "resilver",
      state: "finished",
      repaired_bytes: 21504,
      errors: 0,
      at_local: "2024-02-10T20:30:44",
    });
  });

  test("DSS_CANCELED: `scrub canceled on %s` and `resilver canceled on %s`", () => {
    expect(scan("scrub canceled on Sun Mar  3 09:12:44 2024")).toEqual({
      ...base,
      function: "scrub",
      state: "canceled",
      at_local: "2024-03-03T09:12:44",
    });
    expect(scan("resilver canceled on Sun Mar  3 09:12:44 2024")).toMatchObject({
      function: "resilver",
      state: "canceled",
    });
  });

  test("DSS_SCANNING scrub, 2.2 progress lines (`%s / %s scanned at`, `%s repaired, %.2f%% done`)", () => {
    expect(
      scan(
        "scrub in progress since Mon Sep 29 15:10:13 2025",
        "3.48G / 75.7G scanned at 8.37K/s, 0B / 75.7G issued",
        "0B repaired, 0.00% done, no estimated completion time",
      ),
    ).toEqual({
      ...base,
      function: "scrub",
      state: "in_progress",
      done_pct: 0,
      repaired_bytes: 0,
      at_local: "2025-09-29T15:10:13",
    });
  });

  test("DSS_SCANNING scrub, 2.0 progress lines (`%s scanned at %s/s, %s issued at %s/s, %s total`)", () => {
    expect(
      scan(
        "scrub in progress since Sun Feb 11 11:54:20 2024",
        "1.02T scanned at 1.2G/s, 512G issued at 600M/s, 3.50T total",
        "128K repaired, 14.29% done, 01:25:00 to go",
      ),
    ).toMatchObject({ state: "in_progress", done_pct: 14.29, repaired_bytes: 131072 });
  });

  test("DSS_SCANNING scrub paused: `scrub paused since %s` + `\\tscrub started on %s`", () => {
    expect(
      scan(
        "scrub paused since Wed Mar  6 08:00:00 2024",
        "scrub started on Wed Mar  6 01:00:00 2024",
        "1.20T / 3.50T scanned, 900G / 3.50T issued",
        "0B repaired, 25.71% done",
      ),
    ).toEqual({
      ...base,
      function: "scrub",
      state: "paused",
      done_pct: 25.71,
      repaired_bytes: 0,
      at_local: "2024-03-06T08:00:00",
    });
  });

  test("DSS_SCANNING resilver: `resilver in progress since %s` + `%s resilvered, %.2f%% done`", () => {
    expect(
      scan(
        "resilver in progress since Tue Mar  5 02:00:01 2024",
        "1.20T / 3.50T scanned at 410M/s, 900G / 3.50T issued at 300M/s",
        "225G resilvered, 25.10% done, 02:31:12 to go",
      ),
    ).toMatchObject({
      function: "resilver",
      state: "in_progress",
      done_pct: 25.1,
      repaired_bytes: 225 * 1024 ** 3,
    });
  });
});

describe("print_rebuild_status_impl (sequential resilver of one top-level vdev)", () => {
  const seq = { method: "sequential" as const, vdev: "draid1:4d:6c:1s-0" };

  test("VDEV_REBUILD_COMPLETE: `resilvered (%s) %s in %s with %llu errors on %s`", () => {
    expect(
      scan("resilvered (draid1:4d:6c:1s-0) 2.10G in 00:12:34 with 0 errors on Tue Mar  5 02:12:35 2024"),
    ).toEqual({
      ...base,
      ...seq,
      function: "resilver",
      state: "finished",
      repaired_bytes: 2254857830,
      errors: 0,
      at_local: "2024-03-05T02:12:35",
    });
  });

  test("VDEV_REBUILD_CANCELED: `resilver (%s) canceled on %s`", () => {
    expect(scan("resilver (draid1:4d:6c:1s-0) canceled on Tue Mar  5 02:12:35 2024")).toEqual({
      ...base,
      ...seq,
      function: "resilver",
      state: "canceled",
      at_local: "2024-03-05T02:12:35",
    });
  });

  test("VDEV_REBUILD_ACTIVE: `resilver (%s) in progress since %s` + progress", () => {
    expect(
      scan(
        "resilver (draid1:4d:6c:1s-0) in progress since Tue Mar  5 02:00:01 2024",
        "1.20T scanned at 410M/s, 900G issued 300M/s, 3.50T total",
        "225G resilvered, 34.29% done, 02:31:12 to go",
      ),
    ).toMatchObject({ ...seq, function: "resilver", state: "in_progress", done_pct: 34.29 });
  });

  test("a mirror's rebuild names its vdev: `resilver (mirror-0) ...`", () => {
    expect(scan("resilver (mirror-0) in progress since Tue Mar  5 02:00:01 2024")).toMatchObject({
      vdev: "mirror-0",
      method: "sequential",
    });
  });
});

describe("print_err_scrub_status (`zpool scrub -e`, printed as ` scrub:`)", () => {
  test("DSS_FINISHED: `scrubbed %llu error blocks in %llu days %02llu:%02llu:%02llu on %s`", () => {
    expect(scan("scrubbed 3 error blocks in 0 days 00:00:04 on Tue Mar  5 03:00:00 2024")).toEqual({
      ...base,
      function: "errorscrub",
      state: "finished",
      error_blocks: 3,
      at_local: "2024-03-05T03:00:00",
    });
  });

  test("DSS_CANCELED: `error scrub canceled on %s`", () => {
    expect(scan("error scrub canceled on Tue Mar  5 03:00:00 2024")).toMatchObject({
      function: "errorscrub",
      state: "canceled",
    });
  });

  test("in progress: `error scrub in progress since %s` + `\\t%.2f%% done, issued I/O for %llu error blocks`", () => {
    expect(
      scan(
        "error scrub in progress since Tue Mar  5 03:00:00 2024",
        "12.50% done, issued I/O for 4 error blocks",
      ),
    ).toMatchObject({ function: "errorscrub", state: "in_progress", done_pct: 12.5, error_blocks: 4 });
  });

  test("paused: `error scrub paused since %s` + `\\terror scrub started on %s`", () => {
    expect(
      scan(
        "error scrub paused since Tue Mar  5 04:00:00 2024",
        "error scrub started on Tue Mar  5 03:00:00 2024",
        "50.00% done, issued I/O for 8 error blocks",
      ),
    ).toMatchObject({
      function: "errorscrub",
      state: "paused",
      at_local: "2024-03-05T04:00:00",
      done_pct: 50,
    });
  });
});

describe("print_removal_status (`remove:`)", () => {
  test("DSS_FINISHED: `Removal of vdev %llu copied %s in %lluh%um, completed on %s`", () => {
    expect(scan("Removal of vdev 1 copied 9.87G in 0h4m, completed on Fri Mar  1 10:11:12 2024")).toEqual({
      ...base,
      function: "removal",
      state: "finished",
      copied_bytes: 10597831803,
      at_local: "2024-03-01T10:11:12",
    });
  });

  test("DSS_CANCELED: `Removal of %s canceled on %s`", () => {
    expect(scan("Removal of sdk canceled on Fri Mar  1 10:11:12 2024")).toMatchObject({
      function: "removal",
      state: "canceled",
      vdev: "sdk",
    });
  });

  test("DSS_SCANNING: `Evacuation of %s in progress since %s` + `%s copied out of %s at %s/s, %.2f%% done`", () => {
    expect(
      scan(
        "Evacuation of /dev/sdk in progress since Tue Mar  5 04:00:00 2024",
        "4.50G copied out of 10.2G at 120M/s, 44.12% done, 0h1m to go",
        "3.25M memory used for removed device mappings",
      ),
    ).toMatchObject({
      function: "removal",
      state: "in_progress",
      vdev: "/dev/sdk",
      done_pct: 44.12,
      copied_bytes: 4831838208,
    });
    expect(
      scan(
        "Evacuation of sdk in progress since Tue Mar  5 04:00:00 2024",
        "1K copied out of 10.2T at 1/s, 0.00% done, (copy is slow, no estimated time)",
      ),
    ).toMatchObject({ state: "in_progress", done_pct: 0, copied_bytes: 1024 });
  });
});

describe("print_raidz_expand_status (`expand:`, OpenZFS 2.3)", () => {
  test("DSS_FINISHED: `expanded %s-%u copied %s in %s, on %s`", () => {
    expect(scan("expanded raidz1-0 copied 3.00T in 05:06:07, on Tue Mar  5 07:06:08 2024")).toEqual({
      ...base,
      function: "expand",
      state: "finished",
      vdev: "raidz1-0",
      copied_bytes: 3 * 1024 ** 4,
      at_local: "2024-03-05T07:06:08",
    });
  });

  test("DSS_SCANNING: `expansion of %s-%u in progress since %s` + `%s / %s copied at %s/s, %.2f%% done`", () => {
    expect(
      scan(
        "expansion of raidz1-0 in progress since Tue Mar  5 02:00:01 2024",
        "1.50T / 3.00T copied at 210M/s, 50.00% done, 02:04:05 to go",
      ),
    ).toMatchObject({
      function: "expand",
      state: "in_progress",
      done_pct: 50,
      copied_bytes: 1.5 * 1024 ** 4,
    });
  });

  test("DSS_SCANNING waiting: `, paused for resilver or clear` is paused", () => {
    expect(
      scan(
        "expansion of raidz2-0 in progress since Tue Mar  5 02:00:01 2024",
        "1.50T / 3.00T copied at 210M/s, 50.00% done, paused for resilver or clear",
      ),
    ).toMatchObject({ function: "expand", state: "paused", vdev: "raidz2-0" });
  });
});

describe("Solaris print_scrub_status (` scrub:` entry)", () => {
  test("`scrub: none requested`", () => {
    expect(scan("none requested").function).toBe("none");
  });

  test("`%s completed after %lluh%um with %llu errors on %s` (scrub and resilver)", () => {
    expect(scan("scrub completed after 0h0m with 0 errors on Tue Sep 23 13:54:21 2008")).toEqual({
      ...base,
      function: "scrub",
      state: "finished",
      errors: 0,
      at_local: "2008-09-23T13:54:21",
    });
    expect(scan("resilver completed after 1h2m with 3 errors on Tue Sep 23 13:54:21 2008")).toMatchObject({
      function: "resilver",
      state: "finished",
      errors: 3,
    });
  });

  test("`%s stopped after %lluh%um with %llu errors on %s` is canceled", () => {
    expect(scan("scrub stopped after 0h4m with 0 errors on Tue Sep 23 13:54:21 2008")).toMatchObject({
      function: "scrub",
      state: "canceled",
      errors: 0,
    });
  });

  test("`%s in progress for %lluh%um, %.2f%% done, %lluh%um to go`", () => {
    expect(scan("resilver in progress for 0h1m, 12.34% done, 0h8m to go")).toEqual({
      ...base,
      function: "resilver",
      state: "in_progress",
      done_pct: 12.34,
    });
  });
});

describe("a line of no known form never costs the pool", () => {
  test.each([
    ["an unknown verb", "scrub exploded"],
    ["a known form whose date is not a date", "scrub canceled on yesterday"],
    [
      "a known form whose size is not a size",
      "scrub repaired lots in 00:00:01 with 0 errors on Tue Mar  5 02:00:01 2024",
    ],
    ["nothing", ""],
  ])("%s is `unknown` with its text", (_, line) => {
    expect(scan(line)).toEqual({ ...base, function: "unknown", state: "unknown", text: line });
  });
});
