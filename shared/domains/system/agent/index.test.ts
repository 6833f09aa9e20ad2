import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { appendFile, mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { type SystemData, SystemDataSchema } from "../schema.ts";
import { createSystemCollector } from "./index.ts";
import { buildFakeRoot, bump, editLines, type FakeRoot } from "./testing/fake-root.ts";

const executor = new LocalExecutor();
let root: FakeRoot;
let clock = 0;

beforeEach(async () => {
  root = await buildFakeRoot();
  clock = 1_000;
});
afterEach(async () => {
  await rm(root.dir, { recursive: true, force: true });
});

function collectorFor(
  over: Executor = executor,
  statfsTimeoutMs = 2_000,
): ReturnType<typeof createSystemCollector> {
  const { procRoot, sysRoot, hostRoot } = root;
  return createSystemCollector({
    executor: over,
    procRoot,
    sysRoot,
    hostRoot,
    now: () => clock,
    statfsTimeoutMs,
  });
}

/** The second sample: counters derived from the captured files by known increments, plus a reset. */
async function advanceCounters(): Promise<void> {
  const proc = (name: string): string => join(root.procRoot, name);
  // cpu: +600 user, +200 system, +1000 idle, +100 iowait, +100 softirq jiffies.
  await editLines(proc("stat"), (f) => f[0] === "cpu", bump({ 1: 600, 3: 200, 4: 1000, 5: 100, 7: 100 }));
  // sda: +100 reads of 2048 sectors, +50 writes of 4096 sectors, +2500 ms busy.
  await editLines(
    proc("diskstats"),
    (f) => f[2] === "sda",
    bump({ 3: 100, 5: 2048, 7: 50, 9: 4096, 12: 2500 }),
  );
  // vda re-created: its counters restart below the captured ones.
  await editLines(
    proc("diskstats"),
    (f) => f[2] === "vda",
    () => "254 0 vda 30 0 600 0 20 0 400 0 0 1000 0".split(" "),
  );
  await appendFile(proc("diskstats"), "   8      48 sdz 5 0 40 1 0 0 0 0 0 1 1\n");
  // ens33: +1 MB in 1000 packets received, +500 kB sent. wg0 appears.
  await editLines(proc("net/dev"), (f) => f[0] === "ens33:", bump({ 1: 1_000_000, 2: 1000, 9: 500_000 }));
  await appendFile(proc("net/dev"), "   wg0: 10 1 0 0 0 0 0 0 20 2 0 0 0 0 0 0\n");
}

function parsed(data: SystemData | null): SystemData {
  expect(data).not.toBeNull();
  return SystemDataSchema.parse(data);
}

describe("system collector on a fake root built from captured files", () => {
  test("first sample without prime: gauges, mounts and temperatures, but no rates", async () => {
    const { data, errors } = await collectorFor().collect();
    const sample = parsed(data);
    expect([sample.interval_s, sample.cpu, sample.disks, sample.interfaces]).toEqual([null, null, [], []]);
    expect([sample.uptime_s, sample.process_count, sample.procs_running, sample.procs_blocked]).toEqual([
      350735.47, 3, 2, 0,
    ]);
    expect(sample.load).toEqual({ load_1: 0.21, load_5: 0.37, load_15: 0.39 });
    expect(sample.memory.total_bytes).toBe(3742148 * 1024);
    expect(sample.mounts.map((m) => m.mountpoint)).toEqual(["/", "/mnt/My Disk", "/mnt/tab\tand\\back"]);
    const fs = await executor.statfs(root.hostRoot);
    expect(sample.mounts[0]).toEqual({
      mountpoint: "/",
      device: "/dev/sda2",
      fstype: "ext4",
      size_bytes: fs.blocks * fs.bsize,
      used_bytes: expect.any(Number),
      free_bytes: expect.any(Number),
      inodes_total: fs.files,
      inodes_used: expect.any(Number),
      inodes_free: expect.any(Number),
    });
    // The unreachable /mnt/nfs is left out and reported; nothing else failed.
    expect(errors).toEqual([
      expect.objectContaining({
        code: ErrorCode.NOT_FOUND,
        source: "statfs",
        details: expect.objectContaining({ mountpoint: "/mnt/nfs" }),
      }),
    ]);
    // Two coretemp chips (hwmon0 and its derived copy hwmon7) are told apart by directory.
    expect(sample.temperatures.map((t) => t.sensor)).toEqual([
      ...["Physical id 0", "Core 0", "Core 1", "Core 2", "Core 3"].map((l) => `coretemp@hwmon0/${l}`),
      "hwmon4/foosensor@temp1",
      "hwmon4/foosensor@temp2",
      ...["Physical id 0", "Core 0", "Core 1", "Core 2", "Core 3"].map((l) => `coretemp@hwmon7/${l}`),
    ]);
  });

  test("second sample: rates from deltas over 10 s, a reset counter, new devices without rates", async () => {
    const collector = collectorFor();
    await collector.collect();
    await advanceCounters();
    clock += 10_000;
    const sample = parsed((await collector.collect()).data);
    expect(sample.interval_s).toBe(10);
    expect(sample.cpu).toEqual({
      cores: 8,
      usage_pct: 45,
      user_pct: 30,
      nice_pct: 0,
      system_pct: 10,
      idle_pct: 50,
      iowait_pct: 5,
      irq_pct: 0,
      softirq_pct: 5,
      steal_pct: 0,
    });
    expect(sample.disks.map((d) => d.disk)).toEqual([
      ...["sda", "dm-0", "dm-1", "dm-2", "dm-3", "dm-4", "dm-5"],
      ...["mmcblk0", "vda", "nvme0n1", "sdb", "sdc"],
    ]);
    const disk = (name: string): unknown => sample.disks.find((d) => d.disk === name);
    expect(disk("sda")).toEqual({
      disk: "sda",
      read_bytes_per_s: (2048 * 512) / 10,
      write_bytes_per_s: (4096 * 512) / 10,
      read_ops_per_s: 10,
      write_ops_per_s: 5,
      busy_pct: 25,
    });
    expect(disk("vda")).toEqual({
      disk: "vda",
      read_bytes_per_s: (600 * 512) / 10,
      write_bytes_per_s: (400 * 512) / 10,
      read_ops_per_s: 3,
      write_ops_per_s: 2,
      busy_pct: 10,
    });
    expect(disk("dm-0")).toMatchObject({ read_bytes_per_s: 0, busy_pct: 0 });
    expect(sample.interfaces).toEqual([
      {
        interface: "ens33",
        rx_bytes_per_s: 100_000,
        tx_bytes_per_s: 50_000,
        rx_packets_per_s: 100,
        tx_packets_per_s: 0,
        rx_errors_per_s: 0,
        tx_errors_per_s: 0,
        rx_drops_per_s: 0,
        tx_drops_per_s: 0,
      },
    ]);
  });

  test("prime() takes the baseline, so the first collect() already has rates", async () => {
    const collector = collectorFor();
    await collector.prime?.();
    await advanceCounters();
    clock += 5_000;
    const sample = parsed((await collector.collect()).data);
    expect([sample.interval_s, sample.cpu?.usage_pct, sample.interfaces[0]?.rx_bytes_per_s]).toEqual([
      5, 45, 200_000,
    ]);
  });

  test("no hwmon class in sysfs (a VM without sensors): no temperatures and no error", async () => {
    await rm(join(root.sysRoot, "class", "hwmon"), { recursive: true });
    const { data, errors } = await collectorFor().collect();
    const sample = parsed(data);
    expect(sample.temperatures).toEqual([]);
    expect(sample.memory.total_bytes).toBe(3742148 * 1024);
    expect(errors.filter((e) => e.source === "hwmon")).toEqual([]);
  });

  test("no sysfs at all: the rest of the sample plus a hwmon error", async () => {
    await rm(join(root.sysRoot, "class"), { recursive: true });
    const { data, errors } = await collectorFor().collect();
    expect(parsed(data).memory.total_bytes).toBe(3742148 * 1024);
    expect(errors.filter((e) => e.source === "hwmon")).toEqual([
      expect.objectContaining({ code: ErrorCode.NOT_FOUND }),
    ]);
  });

  test("unreadable /proc/stat or /proc/meminfo: no data, and errors say why", async () => {
    await rm(join(root.procRoot, "stat"));
    await rm(join(root.procRoot, "meminfo"));
    await mkdir(join(root.procRoot, "meminfo")); // a directory cannot be read: EISDIR
    const { data, errors } = await collectorFor().collect();
    expect(data).toBeNull();
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: "proc/stat", code: ErrorCode.NOT_FOUND }),
        expect.objectContaining({ source: "proc/meminfo", code: ErrorCode.READ_FAILED }),
      ]),
    );
  });

  test("no proc/self (old procfs): the mount table is read from proc/mounts", async () => {
    await rm(join(root.procRoot, "self"), { recursive: true });
    await Bun.write(
      join(root.procRoot, "mounts"),
      "/dev/sda2 / ext4 rw,relatime 0 0\nproc /proc proc rw 0 0\n",
    );
    const sample = parsed((await collectorFor().collect()).data);
    expect(sample.mounts.map((m) => [m.device, m.mountpoint])).toEqual([["/dev/sda2", "/"]]);
  });

  test("a hung statfs (stale NFS) is bounded, and not called again while it still hangs", async () => {
    await mkdir(join(root.hostRoot, "mnt", "nfs"), { recursive: true });
    let nfsCalls = 0;
    // A stale NFS server cannot be produced here, so only this one call is replaced by one that never settles.
    const staleNfs: Executor = {
      kind: "local",
      run: (argv, options) => executor.run(argv, options),
      readFile: (path, options) => executor.readFile(path, options),
      listDir: (path) => executor.listDir(path),
      statfs: (path) => {
        if (!path.endsWith("/mnt/nfs")) return executor.statfs(path);
        nfsCalls += 1;
        return new Promise(() => undefined);
      },
    };
    const collector = collectorFor(staleNfs, 50);
    for (const expected of ["no answer within 50 ms", "still waiting"]) {
      const { data, errors } = await collector.collect();
      expect(parsed(data).mounts.map((m) => m.mountpoint)).toEqual([
        "/",
        "/mnt/My Disk",
        "/mnt/tab\tand\\back",
      ]);
      expect(errors).toEqual([
        expect.objectContaining({ code: ErrorCode.COMMAND_TIMEOUT, source: "statfs" }),
      ]);
      expect(errors[0]?.message).toContain(expected);
    }
    expect(nfsCalls).toBe(1);
  });

  test("garbled rows of diskstats, net/dev, the mount table and a sensor: item errors beside the rest", async () => {
    const collector = collectorFor();
    await collector.collect();
    await advanceCounters();
    const proc = (name: string): string => join(root.procRoot, name);
    await editLines(
      proc("diskstats"),
      (f) => f[2] === "sdb",
      (f) => [...f.slice(0, 5), "x", ...f.slice(6)],
    );
    await editLines(
      proc("net/dev"),
      (f) => f[0] === "wg0:",
      (f) => f.slice(0, 4),
    );
    await appendFile(proc("self/mounts"), "/dev/sdd1 /mnt/half\n");
    await Bun.write(join(root.sysRoot, "class", "hwmon", "hwmon7", "temp2_input"), "EIO\n");
    clock += 10_000;
    const { data, errors } = await collector.collect();
    const sample = parsed(data);
    // sdb lost only its own rate; sda still has the one its counters give.
    expect(sample.disks.map((d) => d.disk)).not.toContain("sdb");
    expect(sample.disks.find((d) => d.disk === "sda")?.read_ops_per_s).toBe(10);
    expect(sample.interfaces.map((i) => i.interface)).toEqual(["ens33"]);
    expect(sample.mounts.map((m) => m.mountpoint)).toEqual(["/", "/mnt/My Disk", "/mnt/tab\tand\\back"]);
    expect(sample.temperatures).toHaveLength(11);
    const lineOf = (list: "disks" | "interfaces" | "mounts" | "temperatures"): unknown =>
      sample.item_errors?.[list]?.map((e) => [e.name, e.error.code, e.error.line]);
    expect(lineOf("disks")).toEqual([["sdb", ErrorCode.PARSE_FAILED, 47]]);
    expect(lineOf("interfaces")).toEqual([["wg0", ErrorCode.PARSE_FAILED, 5]]);
    expect(lineOf("mounts")).toEqual([["/mnt/half", ErrorCode.PARSE_FAILED, 9]]);
    expect(lineOf("temperatures")).toEqual([["coretemp@hwmon7/Core 0", ErrorCode.PARSE_FAILED, null]]);
    expect(sample.item_errors_dropped).toBeUndefined();
    expect(errors.map((e) => e.source)).toEqual(["statfs"]);
  });

  test("a /proc/stat with two dumps run together is refused: no sample with doubled totals", async () => {
    const stat = join(root.procRoot, "stat");
    await Bun.write(stat, (await Bun.file(stat).text()).repeat(2));
    const { data, errors } = await collectorFor().collect();
    expect(data).toBeNull();
    expect(errors).toContainEqual(
      expect.objectContaining({
        source: "proc/stat",
        code: ErrorCode.PARSE_FAILED,
        details: expect.objectContaining({ line: 17 }),
      }),
    );
  });
});
