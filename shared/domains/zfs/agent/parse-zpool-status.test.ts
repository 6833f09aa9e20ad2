import { describe, expect, test } from "bun:test";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { MAX_ERROR_FILES, type ZfsPoolStatus, ZfsPoolStatusSchema } from "../schema.ts";
import { parseZpoolStatus } from "./parse-zpool-status.ts";
import { zpoolStatusExporterCapture as exporter, fixture } from "./testing/captures.ts";

const one = (text: string): ZfsPoolStatus => {
  const { items, errors } = parseZpoolStatus(text);
  expect(errors).toEqual([]);
  expect(items).toHaveLength(1);
  return items[0] as ZfsPoolStatus;
};
const leaves = (p: ZfsPoolStatus): string[] => p.vdevs.filter((v) => v.depth === 2).map((v) => v.name);

describe("parseZpoolStatus on real captures", () => {
  test("OpenZFS mirror, scrub finished, multi-line status and action", async () => {
    const pool = one(await fixture("jc-healthy-mirror-scrub-done/zpool-status.txt"));
    expect(pool.name).toBe("pool1");
    expect(pool.state).toBe("ONLINE");
    expect(pool.status_text).toStartWith(
      "Some supported and requested features are not enabled on the pool. The pool",
    );
    expect(pool.action_text).toEndWith("See zpool-features(7) for details.");
    expect(pool.scan).toEqual({
      function: "scrub",
      state: "finished",
      done_pct: null,
      repaired_bytes: 0,
      errors: 0,
      at_local: "2023-02-12T11:40:04",
    });
    expect(pool.vdevs.map((v) => [v.name, v.depth])).toEqual([
      ["pool1", 0],
      ["mirror-0", 1],
      ["wwn-0x5000c500c65ac66f", 2],
      ["wwn-0x5000c500c5eee542", 2],
      ["mirror-1", 1],
      ["wwn-0x5000c500e39e8af6", 2],
      ["wwn-0x5000c500e3b3a41e", 2],
    ]);
    expect([pool.errors_text, pool.data_errors]).toEqual(["No known data errors", 0]);
  });

  test("Solaris-era format: `scrub:` entry, space indentation, an UNAVAIL disk with a note", async () => {
    const pool = one(await fixture("jc-degraded-unavail-disk/zpool-status.txt"));
    expect([pool.name, pool.state, pool.scan.function, pool.scan.state]).toEqual([
      "tank",
      "DEGRADED",
      "none",
      "none",
    ]);
    expect(pool.vdevs.at(-1)).toEqual({
      name: "c1t1d0",
      depth: 2,
      section: "data",
      state: "UNAVAIL",
      read_errors: 0,
      write_errors: 0,
      cksum_errors: 0,
      note: "cannot open",
    });
  });

  test("spares section without counters; a scan line cut at `<snip>` keeps what it says", async () => {
    const pool = one(await fixture("jc-spares/zpool-status.txt"));
    expect(pool.scan).toMatchObject({
      function: "scrub",
      state: "finished",
      repaired_bytes: 0,
      errors: null,
      at_local: null,
    });
    expect(pool.vdevs.filter((v) => v.section === "spares")).toEqual([
      {
        name: "spares",
        depth: 0,
        section: "spares",
        state: null,
        read_errors: null,
        write_errors: null,
        cksum_errors: null,
        note: null,
      },
      {
        name: "sdf",
        depth: 1,
        section: "spares",
        state: "AVAIL",
        read_errors: null,
        write_errors: null,
        cksum_errors: null,
        note: null,
      },
    ]);
    expect(leaves(pool)).toHaveLength(8);
  });

  test("scrub in progress: start time and % done from the progress lines", async () => {
    const pool = one(await exporter("scrub_in_progress"));
    expect(pool.scan).toEqual({
      function: "scrub",
      state: "in_progress",
      done_pct: 0,
      repaired_bytes: 0,
      errors: null,
      at_local: "2024-02-11T11:54:20",
    });
  });

  test("DEGRADED with an UNAVAIL disk carrying 100980 checksum errors", async () => {
    const pool = one(await exporter("DEGRADED_unavail_disk"));
    expect(pool.state).toBe("DEGRADED");
    expect(pool.scan.at_local).toBe("2024-11-03T15:24:53");
    const bad = pool.vdevs.find((v) => v.state === "UNAVAIL");
    expect(bad).toMatchObject({
      name: "12345678901234567890",
      cksum_errors: 100980,
      note: "was /dev/disk/by-id/ata-ST8000DM004-xxxxxx_redacted-part1",
    });
  });

  test("corrupted label: capture ends after the vdev table, without an errors: line", async () => {
    const pool = one(await exporter("DEGRADED_corrupted_label"));
    expect(pool.vdevs.at(-1)).toMatchObject({ name: "loop3", state: "UNAVAIL", note: "corrupted data" });
    expect([pool.errors_text, pool.data_errors]).toEqual([null, null]);
  });

  test("data corruption: an errors: line right after the table, then `1 data errors`", async () => {
    const pool = one(await exporter("online_data_corruption"));
    expect(pool.scan).toMatchObject({ state: "finished", errors: 1, at_local: "2024-02-04T20:54:25" });
    expect(pool.vdevs).toHaveLength(4);
    expect(pool.errors_text).toBe(
      "List of errors unavailable: permission denied\n1 data errors, use '-v' for a list",
    );
    expect(pool.data_errors).toBe(1);
  });

  test("resilver finished: repaired bytes from `21K`", async () => {
    const pool = one(await exporter("resilvered"));
    expect(pool.scan).toMatchObject({
      function: "resilver",
      state: "finished",
      repaired_bytes: 21 * 1024,
      errors: 0,
    });
  });

  test("a new pool never scanned has no scan entry", async () => {
    const pool = one(await exporter("new_pool_never_scanned"));
    expect(pool.scan).toMatchObject({ function: "none", state: "none" });
    expect(leaves(pool)).toEqual(["ata-ST8000VN004-2M2101_WSD4EYEW", "ata-ST8000VN004-2M2101_WSD49ZDC"]);
  });

  test("the harness line of those captures is not zpool output: an item error at line 1, the pool still read", async () => {
    const raw = await fixture("zpool-status-exporter-resilvered/zpool-status.txt");
    const { items, errors } = parseZpoolStatus(raw);
    expect(items.map((p) => p.name)).toEqual(["dummy"]);
    expect(errors).toEqual([
      {
        name: null,
        error: expect.objectContaining({
          code: ErrorCode.PARSE_FAILED,
          line: 1,
          excerpt: raw.split("\n")[0],
        }),
      },
    ]);
  });
});

describe("parseZpoolStatus on handwritten outputs (zpool-status(8) formats)", () => {
  test("two pools: resilver in progress with logs and cache, and a canceled scrub", async () => {
    const [tank, backup] = parseZpoolStatus(await fixture("handwritten-tank-backup/zpool-status.txt")).items;
    expect(tank?.scan).toEqual({
      function: "resilver",
      state: "in_progress",
      done_pct: 25.1,
      repaired_bytes: 225 * 1024 ** 3,
      errors: null,
      at_local: "2024-03-05T02:00:01",
    });
    expect(tank?.vdevs.find((v) => v.name === "sdb-old")).toMatchObject({
      depth: 3,
      read_errors: 12,
      write_errors: 3,
      note: "too many errors",
    });
    expect(tank?.vdevs.filter((v) => v.section !== "data").map((v) => [v.section, v.name])).toEqual([
      ["logs", "logs"],
      ["logs", "nvme0n1p1"],
      ["cache", "cache"],
      ["cache", "nvme0n1p2"],
    ]);
    expect(backup?.scan).toMatchObject({
      function: "scrub",
      state: "canceled",
      at_local: "2024-03-03T09:12:44",
    });
  });

  test("`no pools available` is an empty list", async () => {
    expect(parseZpoolStatus(await fixture("handwritten-no-pools/zpool-status.txt"))).toEqual({
      items: [],
      errors: [],
    });
  });
});

describe("parseZpoolStatus: what it cannot read is an item error, naming the line", () => {
  test("output with no pool and nothing zpool status prints is PARSE_FAILED (the wrong command's output)", () => {
    expect(() => parseZpoolStatus("hello world\n")).toThrow(
      expect.objectContaining({
        code: ErrorCode.PARSE_FAILED,
        details: expect.objectContaining({ line: 1 }),
      }),
    );
  });

  test.each([
    ["no state", "  pool: tank\nconfig:\n\n\tNAME STATE READ WRITE CKSUM\n\ttank ONLINE 0 0 0\n", 1],
    ["truncated after config:", "  pool: tank\n state: ONLINE\nconfig:\n", 3],
    ["a config without its header", "  pool: tank\n state: ONLINE\nconfig:\n\n\tsda ONLINE 0 0 0\n", 5],
    ["a pool name zpool never prints", "  pool: -tank\n state: ONLINE\n", 1],
  ])("%s: that pool's item error; the pool after it is read", (_, text, line) => {
    const next =
      "  pool: backup\n state: ONLINE\nconfig:\n\n\tNAME STATE READ WRITE CKSUM\n\tbackup ONLINE 0 0 0\n";
    const { items, errors } = parseZpoolStatus(`${text}\n${next}`);
    expect(items.map((p) => p.name)).toEqual(["backup"]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.error).toMatchObject({ code: ErrorCode.PARSE_FAILED, line });
  });

  test("a vdev row it cannot read is an item error of its pool, which keeps its other rows", () => {
    const text =
      "  pool: t\n state: DEGRADED\nconfig:\n\n\tNAME STATE READ WRITE CKSUM\n\tt DEGRADED 0 0 0\n\t  sda ONLINE 0 x 0\n\t  sdb FAULTED 3 0 0  too many errors\n\nerrors: No known data errors\n";
    const { items, errors } = parseZpoolStatus(text);
    expect(items[0]?.vdevs.map((v) => [v.name, v.state])).toEqual([
      ["t", "DEGRADED"],
      ["sdb", "FAULTED"],
    ]);
    expect(items[0]?.data_errors).toBe(0);
    expect(errors).toEqual([
      {
        name: "t",
        error: expect.objectContaining({
          code: ErrorCode.PARSE_FAILED,
          line: 7,
          excerpt: "\t  sda ONLINE 0 x 0",
        }),
      },
    ]);
  });

  test("a pool block that lost its `pool:` line never changes the pool before it: its lines are a nameless item error", async () => {
    const text = await fixture("handwritten-tank-backup/zpool-status.txt");
    const damaged = text.replace("  pool: backup\n", " backup\n");
    const { items, errors } = parseZpoolStatus(damaged);
    expect(items).toEqual(parseZpoolStatus(text).items.slice(0, 1));
    expect(errors).toEqual([
      { name: null, error: expect.objectContaining({ code: ErrorCode.PARSE_FAILED, excerpt: " backup" }) },
    ]);
  });

  test("an entry zpool prints that this parser does not know is skipped, not fatal", () => {
    const pool = one(
      "  pool: t\n state: ONLINE\n prune: 12 entries pruned\n\tmore about it\nconfig:\n\n\tNAME STATE READ WRITE CKSUM\n\tt ONLINE 0 0 0\n\nerrors: No known data errors\n",
    );
    expect([pool.name, pool.vdevs.length, pool.data_errors]).toEqual(["t", 1, 0]);
  });

  test("`config: The configuration cannot be determined.` is a pool without a vdev tree", () => {
    const pool = one("  pool: t\n state: UNAVAIL\nconfig: The configuration cannot be determined.\n");
    expect([pool.state, pool.vdevs]).toEqual(["UNAVAIL", []]);
  });
});

describe("zpool status -v: the damaged files (print_error_log)", () => {
  test("real capture: 14 entries, objects of destroyed datasets as <0x..>:<0x1>, with a 2.2 scrub in progress", async () => {
    const pool = one(await fixture("kolkhis-scrub-in-progress-permanent-errors/zpool-status.txt"));
    expect(pool.error_files_total).toBe(14);
    expect(pool.error_files?.slice(0, 2)).toEqual([
      "vmdata/vm-100-disk-0:<0x1>",
      "vmdata/vm-100-disk-0@pre-playbooks-with-ansible:<0x1>",
    ]);
    expect(pool.error_files?.at(-1)).toBe("<0x1d1de>:<0x1>");
    // -v prints the list instead of the count: the entries are the count; the list stays out of errors_text.
    expect([pool.data_errors, pool.errors_text]).toEqual([
      14,
      "Permanent errors have been detected in the following files:",
    ]);
    expect(pool.scan).toMatchObject({ function: "scrub", state: "in_progress", done_pct: 0 });
  });

  test("real capture: snapshots' objects after a resilver that found 4 errors", async () => {
    const pool = one(await fixture("kolkhis-permanent-errors-snapshots/zpool-status.txt"));
    expect(pool.error_files).toEqual([
      "vmdata/vm-100-disk-0:<0x1>",
      "vmdata/vm-204-disk-0@clean-cluster-init:<0x1>",
      "vmdata/vm-201-disk-0:<0x1>",
      "vmdata/vm-204-disk-0:<0x1>",
      "vmdata/vm-201-disk-0@clean-cluster-init:<0x1>",
    ]);
    expect(pool.scan).toMatchObject({ function: "resilver", state: "finished", errors: 4 });
    expect(pool.vdevs.find((v) => v.name === "sdc")?.cksum_errors).toBe(8);
  });

  test("real capture: a SUSPENDED pool whose list is unavailable keeps its state, vdevs and the reason", async () => {
    const pool = one(await fixture("kolkhis-suspended-list-unavailable/zpool-status.txt"));
    expect([pool.state, pool.errors_text, pool.data_errors, pool.error_files]).toEqual([
      "SUSPENDED",
      "List of errors unavailable: pool I/O is currently suspended",
      null,
      undefined,
    ]);
    expect(pool.vdevs.map((v) => [v.name, v.state, v.note])).toEqual([
      ["vmdata", "UNAVAIL", "insufficient replicas"],
      ["sdb", "ONLINE", null],
      ["sdc", "FAULTED", "too many errors"],
    ]);
  });

  test("the first 100 entries are kept, every one counted; paths with spaces and <metadata> as printed", () => {
    const files = Array.from({ length: 250 }, (_, i) => `/tank/data/dir ${i}/file.bin`);
    const text = `  pool: tank\n state: ONLINE\nconfig:\n\n\tNAME STATE READ WRITE CKSUM\n\ttank ONLINE 0 0 0\n\nerrors: Permanent errors have been detected in the following files:\n\n        <metadata>:<0x0>\n${files.map((f) => `        ${f}`).join("\n")}\n`;
    const pool = one(text);
    expect(pool.error_files).toHaveLength(MAX_ERROR_FILES);
    expect(pool.error_files?.slice(0, 2)).toEqual(["<metadata>:<0x0>", "/tank/data/dir 0/file.bin"]);
    expect([pool.error_files_total, pool.data_errors]).toEqual([251, 251]);
    expect(ZfsPoolStatusSchema.parse(pool)).toEqual(pool);
  });

  test("an entry longer than the schema keeps (zpool allows 2 * MAXPATHLEN) is cut, not a failed sample", () => {
    const long = `/tank/${"d/".repeat(3000)}file`;
    const text = `  pool: tank\n state: ONLINE\nconfig:\n\n\tNAME STATE READ WRITE CKSUM\n\ttank ONLINE 0 0 0\n\nerrors: Permanent errors have been detected in the following files:\n\n        ${long}\n`;
    const pool = one(text);
    expect(pool.error_files?.[0]).toBe(long.slice(0, 4096));
    expect(ZfsPoolStatusSchema.parse(pool)).toEqual(pool);
  });
});

describe("every scan-like entry of a pool (handwritten from zpool_main.c's printing functions)", () => {
  test("scan, then a dRAID rebuild; a paused scrub with an expansion; an error scrub, a removal and a checkpoint; a finished removal", async () => {
    const { items, errors } = parseZpoolStatus(await fixture("handwritten-scan-forms/zpool-status.txt"));
    expect(errors).toEqual([]);
    const [dpool, wide, shrink, archive] = items;
    expect(dpool?.scan).toMatchObject({
      function: "scrub",
      state: "finished",
      at_local: "2024-03-03T04:05:06",
    });
    expect(dpool?.activities).toEqual([
      expect.objectContaining({
        function: "resilver",
        method: "sequential",
        vdev: "draid1:4d:6c:1s-0",
        done_pct: 34.29,
      }),
    ]);
    expect(dpool?.vdevs.filter((v) => v.section === "spares").map((v) => [v.name, v.state, v.note])).toEqual([
      ["spares", null, null],
      ["draid1-0-0", "INUSE", "currently in use"],
    ]);
    expect(wide?.scan).toMatchObject({ function: "scrub", state: "paused", done_pct: 25.71 });
    expect(wide?.activities).toEqual([
      expect.objectContaining({ function: "expand", vdev: "raidz1-0", done_pct: 50 }),
    ]);
    // An error scrub is not the pool's last scrub: `scan` says none, the error scrub is an activity.
    expect(shrink?.scan.function).toBe("none");
    expect(shrink?.activities?.map((a) => [a.function, a.state])).toEqual([
      ["errorscrub", "finished"],
      ["removal", "in_progress"],
    ]);
    expect(shrink?.checkpoint).toEqual({
      state: "exists",
      at_local: "2024-03-05T01:00:00",
      space_bytes: 1288490189,
    });
    expect(archive?.scan).toMatchObject({ repaired_bytes: 1572864, errors: 2 });
    expect(archive?.activities?.[0]).toMatchObject({ function: "removal", state: "finished" });
    expect(archive?.error_files).toEqual([
      "/archive/photos/2019/IMG 0042.jpg",
      "archive/db@nightly:/base/16384/2619",
      "archive/vm:<0x1>",
      "<metadata>:<0x0>",
    ]);
    for (const pool of items) expect(ZfsPoolStatusSchema.parse(pool)).toEqual(pool);
  });

  test("print_checkpoint_scan_warning: `    scan warning: skipped blocks ...` under a finished scrub changes nothing", () => {
    const pool = one(
      "  pool: t\n state: ONLINE\n  scan: scrub repaired 0B in 00:01:02 with 0 errors on Tue Mar  5 02:00:01 2024\n    scan warning: skipped blocks that are only referenced by the checkpoint.\ncheckpoint: created Tue Mar  5 01:00:00 2024, consumes 1.20G\n",
    );
    expect(pool.scan).toMatchObject({
      function: "scrub",
      state: "finished",
      at_local: "2024-03-05T02:00:01",
    });
    expect(pool.checkpoint?.state).toBe("exists");
  });

  test("an unknown scan line keeps the pool, with the line as text", () => {
    const pool = one("  pool: tank\n state: ONLINE\n  scan: scrub exploded\n");
    expect(pool.scan).toMatchObject({ function: "unknown", state: "unknown", text: "scrub exploded" });
  });

  test("`checkpoint: discarding, %s remaining.`", () => {
    const pool = one("  pool: t\n state: ONLINE\ncheckpoint: discarding, 512M remaining.\n");
    expect(pool.checkpoint).toEqual({ state: "discarding", at_local: null, space_bytes: 512 * 1024 ** 2 });
  });
});
