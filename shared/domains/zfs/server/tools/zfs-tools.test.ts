import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import {
  type McpHarness,
  type McpSession,
  startMcpHarness,
} from "@infrastructor/lib/testing/mcp/mcp-harness.ts";
import { type ScriptedAnswer, ScriptedExecutor } from "@infrastructor/lib/testing/scripted-executor.ts";
import { DATASETS_ARGV, SNAPSHOTS_ARGV, ZPOOL_LIST_ARGV, ZPOOL_STATUS_ARGV } from "../../agent/commands.ts";
import { createZfsCollector } from "../../agent/index.ts";
import { fixture, zpoolStatusExporterCapture } from "../../agent/testing/captures.ts";

let harness: McpHarness;
let session: McpSession;
let procRoot: string;

const ok = (stdout: string): ScriptedAnswer => ({ exitCode: 0, stdout });
const key = (argv: readonly string[]): string => argv.join(" ");

/** nas: tank DEGRADED and resilvering (a FAULTED disk, checksum errors), backup ONLINE with a canceled scrub. */
async function nasScript(): Promise<Record<string, ScriptedAnswer>> {
  return {
    [key(ZPOOL_LIST_ARGV)]: ok(await fixture("handwritten-tank-backup/zpool-list.txt")),
    [key(ZPOOL_STATUS_ARGV)]: ok(await fixture("handwritten-tank-backup/zpool-status.txt")),
    [key(DATASETS_ARGV)]: ok(await fixture("handwritten-tank-backup/zfs-list.txt")),
    [key(SNAPSHOTS_ARGV)]: ok(await fixture("handwritten-tank-backup/zfs-snapshots.txt")),
  };
}

/**
 * nas2: two captured `zpool status` outputs one after the other, as zpool prints several pools: jeremy
 * (ONLINE, 1 permanent data error, its scrub found 1 error) and mypool (DEGRADED, an UNAVAIL disk with
 * 100980 checksum errors). The `zpool list` lines for them are ours (no capture has these pools).
 */
async function nas2Script(): Promise<Record<string, ScriptedAnswer>> {
  const status = `${await zpoolStatusExporterCapture("online_data_corruption")}\n${await zpoolStatusExporterCapture("DEGRADED_unavail_disk")}`;
  return {
    [key(ZPOOL_LIST_ARGV)]: ok(
      "jeremy\tONLINE\t7999999999999\t4000000000000\t3999999999999\t5\t50\t1.00\n" +
        "mypool\tDEGRADED\t7999999999999\t7200000000000\t799999999999\t2\t90\t1.00\n",
    ),
    [key(ZPOOL_STATUS_ARGV)]: ok(status),
    [key(DATASETS_ARGV)]: ok(""),
    [key(SNAPSHOTS_ARGV)]: ok(""),
  };
}

/**
 * nas3, the failure states at once: `zpool list` with an UNAVAIL and a FAULTED pool ("-" sizes), a
 * `zpool status -v` of a dRAID resilver, a paused scrub beside a raidz expansion, a removal with a
 * checkpoint (all built from OpenZFS's printing code), a real capture with permanent errors in five
 * files, and a `backup` block whose state line is empty (unreadable).
 */
async function nas3Script(): Promise<Record<string, ScriptedAnswer>> {
  const unreadable =
    "  pool: backup\n state: \nconfig:\n\n\tNAME   STATE  READ WRITE CKSUM\n\tbackup UNAVAIL 0 0 0\n";
  const status = [
    await fixture("handwritten-scan-forms/zpool-status.txt"),
    await fixture("kolkhis-permanent-errors-snapshots/zpool-status.txt"),
    unreadable,
  ].join("\n");
  return {
    [key(ZPOOL_LIST_ARGV)]: ok(await fixture("handwritten-unavail-faulted/zpool-list.txt")),
    [key(ZPOOL_STATUS_ARGV)]: ok(status),
    [key(DATASETS_ARGV)]: ok(""),
    [key(SNAPSHOTS_ARGV)]: ok(""),
  };
}

beforeAll(async () => {
  procRoot = await mkdtemp(join(tmpdir(), "mcp-zfs-"));
  await mkdir(join(procRoot, "spl/kstat/zfs"), { recursive: true });
  await cp(
    join(import.meta.dir, "../../agent/testcases/node-exporter-arcstats/arcstats.txt"),
    join(procRoot, "spl/kstat/zfs/arcstats"),
  );
  harness = await startMcpHarness();
  // One collector, polled twice: the second poll does not list snapshots (snapshots: null), as an
  // agent between snapshot intervals; the stored snapshot set must stay.
  const nas = createZfsCollector({ executor: new ScriptedExecutor(await nasScript()), procRoot });
  const first = await nas.collect();
  expect(first.errors).toEqual([]);
  await harness.ingest("nas", "zfs", first, new Date(Date.now() - 60_000));
  const second = await nas.collect();
  expect((second.data as { snapshots: unknown }).snapshots).toBeNull();
  await harness.ingest("nas", "zfs", second);
  const nas2 = await createZfsCollector({
    executor: new ScriptedExecutor(await nas2Script()),
    procRoot: join(procRoot, "missing"),
  }).collect();
  await harness.ingest("nas2", "zfs", nas2);
  const nas3 = await createZfsCollector({
    executor: new ScriptedExecutor(await nas3Script()),
    procRoot: join(procRoot, "missing"),
  }).collect();
  await harness.ingest("nas3", "zfs", nas3);
  // This machine has no zpool: the real collector says the domain is unavailable.
  const none = await createZfsCollector({ executor: new LocalExecutor() }).collect();
  expect(none.unavailable?.code).toBe("COMMAND_MISSING");
  await harness.ingest("plainbox", "zfs", none);
  // Two hours old (zfs polls every 5 minutes): stale, and no SSH to read it live.
  await harness.ingest("oldnas", "zfs", first, new Date(Date.now() - 2 * 3_600_000));
  session = await harness.connect();
}, 120_000);

afterAll(async () => {
  await harness?.destroy();
  await rm(procRoot, { recursive: true, force: true });
}, 60_000);

type Structured = Record<string, unknown>;
const call = async (name: string, args: Record<string, unknown>): Promise<Structured> => {
  const result = await session.call(name, args);
  if (result.isError) throw new Error(JSON.stringify(result.structuredContent));
  return result.structuredContent as Structured;
};
const errorOf = async (name: string, args: Record<string, unknown>) => {
  const result = await session.call(name, args);
  expect(result.isError).toBe(true);
  const text = result.content[0];
  const { error } = result.structuredContent as { error: { code: string; message: string } };
  expect(text?.type === "text" && text.text).toBe(`${error.code}: ${error.message}`);
  return error;
};

describe("get_zfs_status", () => {
  test("pools with problems first, vdev errors, scan, datasets and ARC as collected", async () => {
    const s = (await call("get_zfs_status", { device: "nas" })) as {
      summary: { pools: number; unhealthy: string[]; datasets: number; arc_hit_pct: number };
      provenance: { source: string; stale: boolean };
      pools: {
        name: string;
        state: string;
        size_bytes: number;
        capacity_pct: number;
        scan: { function: string; state: string; done_pct: number };
        device_errors: { read: number; write: number; cksum: number };
        problems: string[];
        vdevs: { name: string; state: string; read_errors: number }[];
      }[];
      datasets: { count: number; by_pool: Record<string, number>; largest: { name: string }[] };
      arc: { hits?: number; hit_pct: number; size_bytes: number };
    };
    expect(s.provenance).toMatchObject({ source: "stored", stale: false });
    expect(s.pools.map((p) => [p.name, p.state])).toEqual([
      ["tank", "DEGRADED"],
      ["backup", "ONLINE"],
    ]);
    const tank = s.pools[0];
    expect(tank?.size_bytes).toBe(11994890469376);
    expect(tank?.capacity_pct).toBe(36);
    expect(tank?.scan).toMatchObject({ function: "resilver", state: "in_progress", done_pct: 25.1 });
    // Leaves: sdb-old 12 read / 3 write, sdc 2 checksum.
    expect(tank?.device_errors).toEqual({ read: 12, write: 3, cksum: 2 });
    expect(tank?.problems).toContain("pool is DEGRADED");
    expect(tank?.problems).toContain("sdb-old: FAULTED, 12 read, 3 write errors, too many errors");
    expect(tank?.problems).toContain("sdc: 2 checksum errors");
    expect(tank?.vdevs.find((v) => v.name === "sdb-old")).toMatchObject({
      state: "FAULTED",
      read_errors: 12,
    });
    expect(s.summary).toMatchObject({ pools: 2, unhealthy: ["tank"], datasets: 3 });
    expect(s.datasets.by_pool).toEqual({ tank: 3 });
    expect(s.datasets.largest.map((d) => d.name)).toEqual(["tank/data", "tank/vm-100-disk-0"]);
    // node_exporter's arcstats: hits 8772612; the ratio is computed from its hits and misses.
    expect(s.summary.arc_hit_pct).toBe(s.arc.hit_pct);
    expect(s.arc.hit_pct).toBeGreaterThan(0);
  });

  test("a host without zpool is COMMAND_MISSING, an unknown one NOT_FOUND", async () => {
    const missing = await errorOf("get_zfs_status", { device: "plainbox" });
    expect(missing.code).toBe("COMMAND_MISSING");
    expect(missing.message).toContain("zpool");
    const unknown = await errorOf("get_zfs_status", { device: "nowhere" });
    expect(unknown.code).toBe("NOT_FOUND");
    expect(unknown.message).toContain("nas");
  });

  test("old data without SSH comes back marked stale", async () => {
    const s = (await call("get_zfs_status", { device: "oldnas" })) as {
      provenance: { source: string; stale: boolean; age_s: number };
    };
    expect(s.provenance).toMatchObject({ source: "stored", stale: true });
    expect(s.provenance.age_s).toBeGreaterThan(7000);
    const text = (await session.call("get_zfs_status", { device: "oldnas" })).content[0];
    const lines = text?.type === "text" ? text.text.split("\n") : [];
    expect(lines[0]).toStartWith("oldnas: 2 pools, 1 with problems (tank)");
    expect(lines[1]).toBe("oldnas: stored, 2 h old, STALE");
  });

  test("a failed source is reported beside the others", async () => {
    const s = (await call("get_zfs_status", { device: "nas2" })) as {
      arc: unknown;
      source_errors: { source: string; code: string }[];
      pools: { name: string; problems: string[] }[];
    };
    expect(s.arc).toBeNull();
    expect(s.source_errors).toEqual([expect.objectContaining({ source: "arc", code: "NOT_FOUND" })]);
    expect(s.pools.map((p) => p.name)).toEqual(["jeremy", "mypool"]);
    expect(s.pools[1]?.problems).toContain("90% full");
  });
});

describe("get_zfs_status in failure states", () => {
  const textOf = async (device: string): Promise<string> => {
    const content = (await session.call("get_zfs_status", { device })).content[0];
    return content?.type === "text" ? content.text : "";
  };

  test("UNAVAIL and FAULTED pools without sizes are listed beside the readable ones", async () => {
    const s = (await call("get_zfs_status", { device: "nas3" })) as {
      pools: { name: string; state: string; size_bytes: number | null; problems: string[] }[];
    };
    const byName = new Map(s.pools.map((p) => [p.name, p]));
    expect(byName.get("scratch")).toMatchObject({ state: "FAULTED", size_bytes: null });
    expect(byName.get("fast")).toMatchObject({ state: "DEGRADED", size_bytes: 1992864825344 });
    expect(byName.get("tank")?.size_bytes).toBe(11994890469376);
    const text = await textOf("nas3");
    expect(text).toContain("- scratch FAULTED");
    expect(text).toContain("- fast DEGRADED, 1.4 TiB used of 1.8 TiB (75%)");
  });

  test("a pool whose status block could not be read is named as unread, with the reason", async () => {
    const s = (await call("get_zfs_status", { device: "nas3" })) as {
      summary: { unhealthy: string[] };
      pools: { name: string; problems: string[] }[];
      unreadable: { status: { name: string | null; error: { code: string } }[] };
    };
    expect(s.unreadable.status).toEqual([
      expect.objectContaining({ name: "backup", error: expect.objectContaining({ code: "PARSE_FAILED" }) }),
    ]);
    const backup = s.pools.find((p) => p.name === "backup");
    expect(backup?.problems[0]).toStartWith("zpool status of this pool could not be read: ");
    expect(s.summary.unhealthy).toContain("backup");
    const text = await textOf("nas3");
    expect(text).toContain("1 item could not be read: zpool status backup: ");
  });

  test("permanent errors name the damaged files; dRAID resilver, expansion, removal and checkpoint are in the text", async () => {
    const s = (await call("get_zfs_status", { device: "nas3" })) as {
      pools: { name: string; error_files: string[]; error_files_total: number | null; problems: string[] }[];
    };
    const vmdata = s.pools.find((p) => p.name === "vmdata");
    expect(vmdata?.error_files_total).toBe(5);
    expect(vmdata?.error_files).toContain("vmdata/vm-100-disk-0:<0x1>");
    expect(vmdata?.problems).toContain(
      "5 damaged files: vmdata/vm-100-disk-0:<0x1>, vmdata/vm-204-disk-0@clean-cluster-init:<0x1>, vmdata/vm-201-disk-0:<0x1> and 2 more",
    );
    const text = await textOf("nas3");
    expect(text).toContain("5 damaged files: vmdata/vm-100-disk-0:<0x1>");
    expect(text).toMatch(/resilver of draid1:4d:6c:1s-0 in progress/);
    expect(text).toMatch(
      /also: .*expand of raidz1-0 in progress \(2024-03-05T02:00:01 host time\), 50% done/,
    );
    expect(text).toMatch(/also: .*removal of \/dev\/sdk in progress/);
    expect(text).toMatch(/checkpoint exists since 2024-03-05T01:00:00, 1\.2 GiB/);
  });
});

describe("get_zfs_snapshots", () => {
  test("the stored set (kept while polls skip the listing), newest first, per dataset", async () => {
    const s = (await call("get_zfs_snapshots", { device: "nas" })) as {
      summary: { snapshots: number; datasets: number; newest: string; oldest: string };
      per_dataset: { dataset: string; count: number; oldest: string; newest: string }[];
      snapshots: { name: string; created_at: string; used_bytes: number }[];
      listed_at: string | null;
    };
    expect(s.snapshots.map((x) => x.name)).toEqual([
      "tank/data@autosnap_2024-03-02_00:00:01_daily",
      "tank/data@autosnap_2024-03-01_00:00:01_daily",
      "tank/vm-100-disk-0@before-upgrade",
    ]);
    expect(s.snapshots[0]).toMatchObject({
      created_at: new Date(1709337601_000).toISOString(),
      used_bytes: 536870912,
    });
    expect(s.summary).toMatchObject({
      snapshots: 3,
      datasets: 2,
      newest: new Date(1709337601_000).toISOString(),
      oldest: new Date(1709200000_000).toISOString(),
    });
    expect(s.per_dataset[0]).toMatchObject({
      dataset: "tank/data",
      count: 2,
      oldest: new Date(1709251201_000).toISOString(),
    });
    expect(s.listed_at).not.toBeNull();
  });

  test("a dataset filter takes the dataset and its children; pages; unknown dataset is NOT_FOUND", async () => {
    const data = (await call("get_zfs_snapshots", { device: "nas", dataset: "tank/data" })) as {
      summary: { snapshots: number };
    };
    expect(data.summary.snapshots).toBe(2);
    const pool = (await call("get_zfs_snapshots", { device: "nas", dataset: "tank", limit: 1 })) as {
      summary: { snapshots: number };
      snapshots: unknown[];
      page: { total: number; next_offset: number | null };
    };
    expect(pool.summary.snapshots).toBe(3);
    expect(pool.snapshots).toHaveLength(1);
    expect(pool.page).toMatchObject({ total: 3, next_offset: 1 });
    const none = await errorOf("get_zfs_snapshots", { device: "nas", dataset: "tank/nope" });
    expect(none.code).toBe("NOT_FOUND");
    expect(none.message).toContain("tank/data");
    const bad = await errorOf("get_zfs_snapshots", { device: "nas", dataset: "tank/../etc" });
    expect(bad.code).toBe("INVALID_ARGUMENT");
  });
});

describe("verify_zfs_integrity", () => {
  test("nas: a DEGRADED pool with a FAULTED member is failing (the shared severity model); a resilver, device errors and a canceled scrub warn", async () => {
    const s = (await call("verify_zfs_integrity", { device: "nas" })) as {
      verdict: string;
      reasons: string[];
      read_only: boolean;
      pools: { name: string; verdict: string; reasons: string[]; last_scrub: unknown }[];
    };
    expect(s.verdict).toBe("failing");
    expect(s.read_only).toBe(true);
    const [tank, backup] = s.pools;
    expect(tank).toMatchObject({ verdict: "failing", severity: "critical" });
    expect(tank?.reasons).toEqual([
      "pool is DEGRADED",
      "sdb-old (FAULTED): 12 read, 3 write errors",
      "resilver in progress (25.1% done)",
      "raidz1-0 is DEGRADED",
      "replacing-1 is DEGRADED",
      "sdc (ONLINE): 2 checksum errors",
    ]);
    expect(tank?.last_scrub).toBeNull();
    expect(backup).toMatchObject({
      verdict: "warning",
      reasons: ["last scrub was canceled (2024-03-03T09:12:44): no complete scrub result"],
    });
  });

  test("nas2: permanent data errors and an UNAVAIL member are failing; old scrubs warn", async () => {
    const s = (await call("verify_zfs_integrity", { device: "nas2" })) as {
      verdict: string;
      pools: {
        name: string;
        verdict: string;
        reasons: string[];
        last_scrub: { at_local: string; age_days: number; errors: number };
        vdev_errors: { name: string; cksum_errors: number }[];
        permanent_errors: { count: number };
      }[];
    };
    expect(s.verdict).toBe("failing");
    // Both failing: the pool not ONLINE first.
    expect(s.pools.map((p) => p.name)).toEqual(["mypool", "jeremy"]);
    const [mypool, jeremy] = s.pools;
    expect(jeremy?.verdict).toBe("failing");
    expect(jeremy?.permanent_errors.count).toBe(1);
    expect(jeremy?.last_scrub).toMatchObject({ at_local: "2024-02-04T20:54:25", errors: 1 });
    expect(jeremy?.last_scrub.age_days).toBeGreaterThan(35);
    expect(jeremy?.reasons[0]).toBe("1 permanent data errors (zpool status -v on the host lists the files)");
    expect(jeremy?.reasons).toContain("last scrub (2024-02-04T20:54:25) found 1 errors it could not repair");
    // DEGRADED, a member UNAVAIL: data at risk, as analyze_infrastructure_health says too.
    expect(mypool?.verdict).toBe("failing");
    expect(mypool?.reasons.slice(0, 2)).toEqual([
      "pool is DEGRADED",
      "12345678901234567890 (UNAVAIL): 100980 checksum errors",
    ]);
    expect(mypool?.vdev_errors).toContainEqual(
      expect.objectContaining({ name: "12345678901234567890", cksum_errors: 100980 }),
    );
    expect(mypool?.reasons.some((r) => /^last scrub finished \d+ days ago \(more than 35\)$/.test(r))).toBe(
      true,
    );
  });

  test("a dataset narrows to its pool; a pool not there is NOT_FOUND; no zpool is COMMAND_MISSING", async () => {
    const s = (await call("verify_zfs_integrity", { device: "nas", dataset: "backup/photos" })) as {
      pools: { name: string }[];
    };
    expect(s.pools.map((p) => p.name)).toEqual(["backup"]);
    expect((await errorOf("verify_zfs_integrity", { device: "nas", dataset: "rpool" })).code).toBe(
      "NOT_FOUND",
    );
    expect((await errorOf("verify_zfs_integrity", { device: "plainbox" })).code).toBe("COMMAND_MISSING");
  });
});
