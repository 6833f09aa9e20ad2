import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { type ScriptedAnswer, ScriptedExecutor } from "@infrastructor/lib/testing/scripted-executor.ts";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { MAX_DATASETS, MAX_SNAPSHOTS, ZfsDataSchema } from "../schema.ts";
import { DATASETS_ARGV, SNAPSHOTS_ARGV, ZPOOL_LIST_ARGV, ZPOOL_STATUS_ARGV } from "./commands.ts";
import { createZfsCollector } from "./index.ts";
import { fixture, zpoolStatusExporterCapture } from "./testing/captures.ts";

let procRoot: string;
beforeAll(async () => {
  procRoot = await mkdtemp(join(tmpdir(), "zfs-collector-"));
  await mkdir(join(procRoot, "spl/kstat/zfs"), { recursive: true });
  await cp(
    join(import.meta.dir, "testcases", "node-exporter-arcstats/arcstats.txt"),
    join(procRoot, "spl/kstat/zfs/arcstats"),
  );
});
afterAll(async () => {
  await rm(procRoot, { recursive: true, force: true });
});

const ok = (stdout: string): ScriptedAnswer => ({ exitCode: 0, stdout });

/** A host with the captured outputs: FreeNAS pools, a degraded pool's status, our own dataset listing. */
async function healthyHost(
  overrides: Record<string, ScriptedAnswer> = {},
): Promise<Record<string, ScriptedAnswer>> {
  return {
    [ZPOOL_LIST_ARGV.join(" ")]: ok(await fixture("telegraf-freenas/zpool-list.txt")),
    [ZPOOL_STATUS_ARGV.join(" ")]: ok(await zpoolStatusExporterCapture("DEGRADED_unavail_disk")),
    [DATASETS_ARGV.join(" ")]: ok(await fixture("handwritten-tank-backup/zfs-list.txt")),
    [SNAPSHOTS_ARGV.join(" ")]: ok(await fixture("handwritten-tank-backup/zfs-snapshots.txt")),
    ...overrides,
  };
}

describe("the zfs collector", () => {
  test("on this machine (no ZFS) the domain is unavailable: zpool is not installed", async () => {
    const result = await createZfsCollector({ executor: new LocalExecutor() }).collect();
    expect(result.data).toBeNull();
    expect(result.unavailable?.code).toBe(ErrorCode.COMMAND_MISSING);
    expect(result.unavailable?.reason).toContain("zpool");
  });

  test("zpool present but the kernel module not loaded: unavailable with zpool's reason", async () => {
    const executor = new ScriptedExecutor({
      [ZPOOL_LIST_ARGV.join(" ")]: {
        exitCode: 1,
        stderr: "The ZFS modules are not loaded.\nTry running '/sbin/modprobe zfs' as root to load them.\n",
      },
    });
    const result = await createZfsCollector({ executor, procRoot }).collect();
    expect(result.unavailable).toEqual({
      code: ErrorCode.COMMAND_FAILED,
      reason: "zpool list exited 1: The ZFS modules are not loaded.",
    });
  });

  test("every source from captured outputs, valid against the schema", async () => {
    const executor = new ScriptedExecutor(await healthyHost());
    const result = await createZfsCollector({ executor, procRoot }).collect();
    expect(result.errors).toEqual([]);
    const data = ZfsDataSchema.parse(result.data);
    expect(data.pools.ok && data.pools.value.map((p) => p.name)).toEqual([
      "freenas-boot",
      "red1",
      "temp1",
      "temp2",
    ]);
    expect(data.status.ok && data.status.value[0]?.state).toBe("DEGRADED");
    expect(data.datasets.ok && data.datasets.value).toHaveLength(3);
    expect(data.snapshots?.ok && data.snapshots.value).toHaveLength(3);
    expect(data.arc.ok && data.arc.value.hits).toBe(8772612);
  });

  test("snapshots are listed once per snapshot interval, and again after it", async () => {
    const executor = new ScriptedExecutor(await healthyHost());
    let clock = 0;
    const collector = createZfsCollector({ executor, procRoot, snapshot_interval_s: 900, now: () => clock });
    expect((await collector.collect()).data?.snapshots?.ok).toBe(true);
    clock = 300_000;
    expect((await collector.collect()).data?.snapshots).toBeNull();
    clock = 900_000;
    expect((await collector.collect()).data?.snapshots?.ok).toBe(true);
    expect(executor.commands.filter((c) => c === SNAPSHOTS_ARGV.join(" "))).toHaveLength(2);
  });

  test("a failing, a garbled and a hanging command are data; the other sources stand", async () => {
    const executor = new ScriptedExecutor(
      await healthyHost({
        [ZPOOL_STATUS_ARGV.join(" ")]: { exitCode: 1, stderr: "internal error: Permission denied\n" },
        [DATASETS_ARGV.join(" ")]: ok("tank\tfilesystem\t12\n"),
        [SNAPSHOTS_ARGV.join(" ")]: "hang",
      }),
    );
    const result = await createZfsCollector({ executor, procRoot: "/nonexistent", timeout_s: 1 }).collect();
    const data = ZfsDataSchema.parse(result.data);
    expect(data.pools.ok).toBe(true);
    expect(data.status).toEqual({
      ok: false,
      error: {
        code: ErrorCode.COMMAND_FAILED,
        message: "zpool status exited 1: internal error: Permission denied",
      },
    });
    // The garbled line is an item error beside the (here: no) datasets that could be read.
    expect(data.datasets.ok && data.datasets.value).toEqual([]);
    expect(data.datasets.ok && data.datasets.item_errors?.[0]).toMatchObject({
      name: "tank",
      error: { code: ErrorCode.PARSE_FAILED, line: 1, excerpt: "tank\tfilesystem\t12" },
    });
    expect(data.snapshots?.ok === false && data.snapshots.error.code).toBe(ErrorCode.COMMAND_TIMEOUT);
    expect(!data.arc.ok && data.arc.error.code).toBe(ErrorCode.NOT_FOUND);
  }, 30_000);

  test("an UNAVAIL pool, an unreadable pool block and an unreadable snapshot line: item errors beside the rest, the sample valid", async () => {
    const snapshots = await fixture("handwritten-tank-backup/zfs-snapshots.txt");
    const status = await fixture("handwritten-unavail-faulted/zpool-status.txt");
    const executor = new ScriptedExecutor(
      await healthyHost({
        [ZPOOL_LIST_ARGV.join(" ")]: ok(await fixture("handwritten-unavail-faulted/zpool-list.txt")),
        [ZPOOL_STATUS_ARGV.join(" ")]: ok(
          status.replace("  pool: scratch\n state: FAULTED\n", "  pool: scratch\n"),
        ),
        [SNAPSHOTS_ARGV.join(" ")]: ok(snapshots.replace(/^(tank\/data@\S+)\t\d+/m, "$1\tmany")),
      }),
    );
    const result = await createZfsCollector({ executor, procRoot }).collect();
    expect(result.errors).toEqual([]);
    const data = ZfsDataSchema.parse(result.data);
    expect(data.pools.ok && data.pools.value.map((p) => [p.name, p.size_bytes])).toEqual([
      ["tank", 11994890469376],
      ["backup", null],
      ["scratch", null],
      ["fast", 1992864825344],
    ]);
    expect(data.status.ok && data.status.value.map((p) => p.name)).toEqual(["tank", "backup", "fast"]);
    expect(data.status.ok && data.status.item_errors).toEqual([
      {
        name: "scratch",
        error: expect.objectContaining({
          code: ErrorCode.PARSE_FAILED,
          message: expect.stringContaining("no valid state"),
        }),
      },
    ]);
    expect(data.snapshots?.ok && data.snapshots.value).toHaveLength(2);
    expect(data.snapshots?.ok && data.snapshots.item_errors?.[0]).toMatchObject({
      name: "tank/data@autosnap_2024-03-01_00:00:01_daily",
      error: { code: ErrorCode.PARSE_FAILED, line: 1 },
    });
  });

  test("an item longer than the schema keeps, or more datasets than a message carries, never fail the sample", async () => {
    const longPool = "p".repeat(300);
    const longVdev = `/dev/disk/by-id/${"x".repeat(1100)}`;
    const datasets = Array.from(
      { length: MAX_DATASETS + 4 },
      (_, i) => `tank/d${i}\tfilesystem\t1\t1\t1\t0\t1`,
    );
    const executor = new ScriptedExecutor(
      await healthyHost({
        [ZPOOL_LIST_ARGV.join(" ")]: ok(
          `tank\tONLINE\t10\t4\t6\t1\t40\t1.00\n${longPool}\tONLINE\t10\t4\t6\t1\t40\t1.00\n`,
        ),
        [ZPOOL_STATUS_ARGV.join(" ")]: ok(
          `  pool: tank\n state: ONLINE\nconfig:\n\n\tNAME STATE READ WRITE CKSUM\n\ttank ONLINE 0 0 0\n\n  pool: wide\n state: ONLINE\nconfig:\n\n\tNAME STATE READ WRITE CKSUM\n\twide ONLINE 0 0 0\n\t  ${longVdev} ONLINE 0 0 0\n`,
        ),
        [DATASETS_ARGV.join(" ")]: ok(`${datasets.join("\n")}\n`),
      }),
    );
    const result = await createZfsCollector({ executor, procRoot }).collect();
    expect(result.errors).toEqual([]);
    const data = ZfsDataSchema.parse(result.data);
    expect(data.pools.ok && data.pools.value.map((p) => p.name)).toEqual(["tank"]);
    expect(data.pools.ok && data.pools.item_errors?.[0]?.error.message).toContain(
      "does not fit the schema: name",
    );
    expect(data.status.ok && data.status.value.map((p) => p.name)).toEqual(["tank"]);
    expect(data.status.ok && data.status.item_errors?.[0]).toMatchObject({ name: "wide" });
    expect(data.datasets.ok && [data.datasets.value.length, data.datasets.truncated]).toEqual([
      MAX_DATASETS,
      4,
    ]);
  });

  test("duplicate snapshot names (as in the textfile-collector mock) are kept once, with an error", async () => {
    const mock = await fixture("textfile-collector-snapshots/zfs-snapshots.txt");
    // The mock's columns are name,used,creation; ours add refer: insert it so the lines are ours.
    const ours = mock.replace(/^([^\t]+)\t(\d+)\t(\d+)$/gm, "$1\t$2\t4096\t$3");
    const executor = new ScriptedExecutor(await healthyHost({ [SNAPSHOTS_ARGV.join(" ")]: ok(ours) }));
    const result = await createZfsCollector({ executor, procRoot }).collect();
    const snapshots = result.data?.snapshots;
    expect(snapshots?.ok && snapshots.value.map((s) => [s.name, s.created_s])).toEqual([
      ["zpool/vol/0@snapshot-name", 1685085436],
      ["zpool/vol1@snapshot-name", 1685100606],
    ]);
    expect(result.errors.map((e) => e.message)).toEqual(["2 duplicate snapshot names, the last kept"]);
  });

  test("more snapshots than an envelope carries: the newest are sent and the rest counted in `truncated`", async () => {
    const count = MAX_SNAPSHOTS + 250;
    const lines = Array.from(
      { length: count },
      (_, i) => `tank/data@auto-${i}\t4096\t8192\t${1_700_000_000 + i}`,
    );
    const executor = new ScriptedExecutor(
      await healthyHost({ [SNAPSHOTS_ARGV.join(" ")]: ok(`${lines.join("\n")}\n`) }),
    );
    const result = await createZfsCollector({ executor, procRoot }).collect();
    const data = ZfsDataSchema.parse(result.data);
    if (!data.snapshots?.ok) throw new Error(`snapshots failed: ${JSON.stringify(data.snapshots)}`);
    expect(data.snapshots.value).toHaveLength(MAX_SNAPSHOTS);
    expect(data.snapshots.truncated).toBe(250);
    expect(data.snapshots.value[0]?.name).toBe(`tank/data@auto-${count - 1}`);
    expect(data.snapshots.value.some((s) => s.name === "tank/data@auto-0")).toBe(false);
  });
});
