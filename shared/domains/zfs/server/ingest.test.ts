import { afterAll, beforeAll, expect, test } from "bun:test";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DATASETS_ARGV,
  SNAPSHOTS_ARGV,
  ZPOOL_LIST_ARGV,
  ZPOOL_STATUS_ARGV,
} from "@infrastructor/domains/zfs/agent/commands.ts";
import { createZfsCollector } from "@infrastructor/domains/zfs/agent/index.ts";
import { fixture } from "@infrastructor/domains/zfs/agent/testing/captures.ts";
import type { CollectResult } from "@infrastructor/lib/collect/collector.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { domainEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { type Pipeline, startPipeline } from "@infrastructor/lib/testing/pipeline-servers.ts";
import { publishEnvelopes } from "@infrastructor/lib/testing/publish.ts";
import { type ScriptedAnswer, ScriptedExecutor } from "@infrastructor/lib/testing/scripted-executor.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import type { Envelope } from "@infrastructor/shared/envelope.ts";

let pipeline: Pipeline;
let procRoot: string;
const t0 = Date.now() - 3_600_000;
const MIN = 60_000;

beforeAll(async () => {
  procRoot = await mkdtemp(join(tmpdir(), "zfs-e2e-"));
  await mkdir(join(procRoot, "spl/kstat/zfs"), { recursive: true });
  const arcstats = join(import.meta.dir, "../agent/testcases/node-exporter-arcstats/arcstats.txt");
  await cp(arcstats, join(procRoot, "spl/kstat/zfs/arcstats"));
  pipeline = await startPipeline();
}, 120_000);

afterAll(async () => {
  await pipeline?.destroy();
  await rm(procRoot, { recursive: true, force: true });
}, 60_000);

function envelope(
  host: string,
  seq: number,
  atMs: number,
  result: CollectResult<"zfs">,
  bootId = "zfs-boot",
): Envelope {
  return domainEnvelope(host, "zfs", result.data, {
    seq,
    boot_id: bootId,
    collected_at: new Date(atMs).toISOString(),
    errors: result.errors,
    unavailable: result.unavailable,
  });
}

const snapshotsOf = async (host: string): Promise<Record<string, unknown>[]> =>
  await pipeline.sql`
    SELECT s.name, s.dataset, s.used_bytes::float8 AS used, s.created_at, s.first_seen_at
    FROM zfs_snapshots s JOIN devices d ON d.id = s.device_id WHERE d.hostname = ${host} ORDER BY s.name`;

test("zfs envelopes of the real collector reach their tables; snapshots are kept as a set", async () => {
  const snapshots = await fixture("handwritten-tank-backup/zfs-snapshots.txt");
  const script: Record<string, ScriptedAnswer> = {
    [ZPOOL_LIST_ARGV.join(" ")]: {
      exitCode: 0,
      stdout: await fixture("handwritten-tank-backup/zpool-list.txt"),
    },
    [ZPOOL_STATUS_ARGV.join(" ")]: {
      exitCode: 0,
      stdout: await fixture("handwritten-tank-backup/zpool-status.txt"),
    },
    [DATASETS_ARGV.join(" ")]: { exitCode: 0, stdout: await fixture("handwritten-tank-backup/zfs-list.txt") },
    [SNAPSHOTS_ARGV.join(" ")]: { exitCode: 0, stdout: snapshots },
  };
  let clock = 0;
  const zfs = createZfsCollector({ executor: new ScriptedExecutor(script), procRoot, now: () => clock });
  const first = await zfs.collect();
  clock = 5 * MIN;
  const second = await zfs.collect(); // within the snapshot interval: snapshots null
  expect(second.data?.snapshots).toBeNull();
  // 15 min later: the first snapshot is gone, one is new, one grew.
  const [, kept, vm] = snapshots.trim().split("\n");
  const grown = (vm ?? "").replace("\t1073741824\t", "\t2147483648\t");
  const added = "tank/data@autosnap_2024-03-03_00:00:01_daily\t0\t961000000000\t1709424001";
  script[SNAPSHOTS_ARGV.join(" ")] = { exitCode: 0, stdout: `${kept}\n${grown}\n${added}\n` };
  clock = 15 * MIN;
  const third = await zfs.collect();
  expect([first.errors, third.errors]).toEqual([[], []]);

  // One at a time: envelopes of one batch collapse to the newest for current state, and first_seen_at
  // is to show the first listing.
  const sent = [first, second, third];
  for (const [seq, at] of [0, 5 * MIN, 15 * MIN].entries()) {
    await publishEnvelopes(pipeline.js, [envelope("nas1", seq, t0 + at, sent[seq] as CollectResult<"zfs">)]);
    await waitFor(`zfs_sync at envelope ${seq}`, async () => {
      const [row] = await pipeline.sql`SELECT collected_at FROM zfs_sync`;
      return row?.collected_at.getTime() === t0 + at;
    });
  }
  expect((await pipeline.sql`SELECT count(*)::int AS n FROM zfs_arc_metrics`)[0]?.n).toBe(3);

  const metrics =
    await pipeline.sql`SELECT pool, health, capacity_pct, read_errors::int, write_errors::int, cksum_errors::int
    FROM zfs_pool_metrics WHERE time = ${new Date(t0)} ORDER BY pool`;
  expect(
    metrics.map((m) => [m.pool, m.health, m.capacity_pct, m.read_errors, m.write_errors, m.cksum_errors]),
  ).toEqual([
    ["backup", "ONLINE", 27, 0, 0, 0],
    ["tank", "DEGRADED", 36, 12, 3, 2],
  ]);
  expect((await pipeline.sql`SELECT count(*)::int AS n FROM zfs_pool_metrics`)[0]?.n).toBe(6);

  const [tank] = await pipeline.sql`SELECT * FROM zfs_pools WHERE pool = 'tank'`;
  expect(tank).toMatchObject({
    health: "DEGRADED",
    state: "DEGRADED",
    scan_function: "resilver",
    scan_state: "in_progress",
    scan_at_local: "2024-03-05T02:00:01",
    errors_text: "No known data errors",
  });
  expect(tank?.scan_done_pct).toBeCloseTo(25.1, 3);
  expect(Number(tank?.size_bytes)).toBe(11994890469376);
  expect(((tank?.vdevs ?? []) as { name: string }[]).map((v) => v.name)).toContain("sdb-old");
  const datasets = await pipeline.sql`SELECT name, pool, type FROM zfs_datasets ORDER BY name`;
  expect(datasets.map((d) => [d.name, d.pool, d.type])).toEqual([
    ["tank", "tank", "filesystem"],
    ["tank/data", "tank", "filesystem"],
    ["tank/vm-100-disk-0", "tank", "volume"],
  ]);

  const expected = [
    ["tank/data@autosnap_2024-03-02_00:00:01_daily", 536870912, t0],
    ["tank/data@autosnap_2024-03-03_00:00:01_daily", 0, t0 + 15 * MIN],
    ["tank/vm-100-disk-0@before-upgrade", 2147483648, t0],
  ];
  const now = await snapshotsOf("nas1");
  expect(now.map((s) => [s.name, s.used, (s.first_seen_at as Date).getTime()])).toEqual(expected);
  expect((now[2]?.created_at as Date | undefined)?.toISOString()).toBe(
    new Date(1709200000 * 1000).toISOString(),
  );

  // The first envelope again (another agent run's message id): older than zfs_sync, so no change.
  await publishEnvelopes(pipeline.js, [envelope("nas1", 0, t0, first, "replay-boot")]);
  await waitFor("the replay consumed", () => pipeline.collector.drained());
  const after = await snapshotsOf("nas1");
  expect(after.map((s) => [s.name, s.used, (s.first_seen_at as Date).getTime()])).toEqual(expected);
}, 120_000);

test("a snapshot list the agent cut (`truncated`) removes only gone snapshots within it, never older ones", async () => {
  const script: Record<string, ScriptedAnswer> = {
    [ZPOOL_LIST_ARGV.join(" ")]: {
      exitCode: 0,
      stdout: await fixture("handwritten-tank-backup/zpool-list.txt"),
    },
    [ZPOOL_STATUS_ARGV.join(" ")]: {
      exitCode: 0,
      stdout: await fixture("handwritten-tank-backup/zpool-status.txt"),
    },
    [DATASETS_ARGV.join(" ")]: { exitCode: 0, stdout: await fixture("handwritten-tank-backup/zfs-list.txt") },
    [SNAPSHOTS_ARGV.join(" ")]: { exitCode: 0, stdout: "" },
  };
  const base = await createZfsCollector({ executor: new ScriptedExecutor(script), procRoot }).collect();
  const snap = (name: string, createdS: number) => ({
    name: `tank/data@${name}`,
    used_bytes: 0,
    refer_bytes: 4096,
    created_s: createdS,
  });
  const withSnapshots = (snapshots: unknown): CollectResult<"zfs"> =>
    ({ ...base, data: { ...base.data, snapshots } }) as CollectResult<"zfs">;
  const full = withSnapshots({
    ok: true,
    value: [snap("old", 1_000), snap("mid", 2_000), snap("new", 4_000), snap("gone", 4_500)],
  });
  // Later: the agent sends only the newest two (2 left out); "gone", newer than the oldest sent, was destroyed.
  const cut = withSnapshots({ ok: true, value: [snap("new", 4_000), snap("newer", 5_000)], truncated: 2 });
  await publishEnvelopes(pipeline.js, [envelope("nas2", 0, t0, full)]);
  await waitFor("nas2's 4 snapshots", async () => (await snapshotsOf("nas2")).length === 4);
  await publishEnvelopes(pipeline.js, [envelope("nas2", 1, t0 + 15 * MIN, cut)]);
  await waitFor("nas2's newer snapshot", async () =>
    (await snapshotsOf("nas2")).some((s) => s.name === "tank/data@newer"),
  );
  expect((await snapshotsOf("nas2")).map((s) => s.name)).toEqual([
    "tank/data@mid",
    "tank/data@new",
    "tank/data@newer",
    "tank/data@old",
  ]);
}, 120_000);

test("a host without ZFS (this machine, the real LocalExecutor) is stored as unavailable", async () => {
  const result = await createZfsCollector({ executor: new LocalExecutor() }).collect();
  await publishEnvelopes(pipeline.js, [envelope("nozfs", 0, t0, result)]);
  const state = await waitFor("nozfs unavailable", async () => {
    const [row] = await pipeline.sql`
      SELECT l.status, l.errors FROM latest_state l JOIN devices d ON d.id = l.device_id
      WHERE d.hostname = 'nozfs' AND l.domain = 'zfs'`;
    return row?.status === "unavailable" ? row : undefined;
  });
  expect(state.errors[0]).toMatchObject({ code: "COMMAND_MISSING" });
  expect(
    (
      await pipeline.sql`SELECT count(*)::int AS n FROM zfs_sync s JOIN devices d ON d.id = s.device_id
    WHERE d.hostname = 'nozfs'`
    )[0]?.n,
  ).toBe(0);
}, 120_000);

test("UNAVAIL and FAULTED pools are stored with null sizes beside the healthy ones; an unreadable pool keeps its row and its error arrives in latest_state", async () => {
  const list = await fixture("handwritten-unavail-faulted/zpool-list.txt");
  const status = await fixture("handwritten-unavail-faulted/zpool-status.txt");
  const script: Record<string, ScriptedAnswer> = {
    [ZPOOL_LIST_ARGV.join(" ")]: { exitCode: 0, stdout: list },
    [ZPOOL_STATUS_ARGV.join(" ")]: { exitCode: 0, stdout: status },
    [DATASETS_ARGV.join(" ")]: { exitCode: 0, stdout: await fixture("handwritten-tank-backup/zfs-list.txt") },
    [SNAPSHOTS_ARGV.join(" ")]: { exitCode: 0, stdout: "" },
  };
  const zfs = createZfsCollector({
    executor: new ScriptedExecutor(script),
    procRoot,
    snapshot_interval_s: 0,
  });
  const first = await zfs.collect();
  expect(first.errors).toEqual([]);
  await publishEnvelopes(pipeline.js, [envelope("nas3", 0, t0, first)]);
  const poolsOf = async (): Promise<Record<string, unknown>[]> =>
    await pipeline.sql`SELECT p.pool, p.health, p.state, p.size_bytes, p.capacity_pct, p.updated_at
      FROM zfs_pools p JOIN devices d ON d.id = p.device_id WHERE d.hostname = 'nas3' ORDER BY p.pool`;
  await waitFor("nas3's 4 pools", async () => (await poolsOf()).length === 4);
  const metrics = await pipeline.sql`
    SELECT m.pool, m.health, m.size_bytes, m.alloc_bytes, m.free_bytes, m.capacity_pct
    FROM zfs_pool_metrics m JOIN devices d ON d.id = m.device_id WHERE d.hostname = 'nas3' ORDER BY m.pool`;
  expect(
    metrics.map((m) => [
      m.pool,
      m.health,
      m.size_bytes === null ? null : Number(m.size_bytes),
      m.capacity_pct,
    ]),
  ).toEqual([
    ["backup", "UNAVAIL", null, null],
    ["fast", "DEGRADED", 1992864825344, 75],
    ["scratch", "FAULTED", null, null],
    ["tank", "ONLINE", 11994890469376, 36],
  ]);
  expect(metrics.find((m) => m.pool === "backup")).toMatchObject({ alloc_bytes: null, free_bytes: null });
  expect((await poolsOf()).map((p) => [p.pool, p.health, p.state, p.size_bytes])).toEqual([
    ["backup", "UNAVAIL", "UNAVAIL", null],
    ["fast", "DEGRADED", "DEGRADED", "1992864825344"],
    ["scratch", "FAULTED", "FAULTED", null],
    ["tank", "ONLINE", "ONLINE", "11994890469376"],
  ]);

  // Next poll: pool fast's list line and status block cannot be read (cut short), a vdev row of tank neither.
  script[ZPOOL_LIST_ARGV.join(" ")] = {
    exitCode: 0,
    stdout: list.replace(/^fast\t.*$/m, "fast\tDEGRADED\t1992864825344"),
  };
  script[ZPOOL_STATUS_ARGV.join(" ")] = {
    exitCode: 0,
    stdout: status
      .replace(" state: DEGRADED\n", "")
      .replace("\t    sdb     ONLINE       0     0     0", "\t    sdb     ONLINE       0     ?     0"),
  };
  const second = await zfs.collect();
  await publishEnvelopes(pipeline.js, [envelope("nas3", 1, t0 + 5 * MIN, second)]);
  const payload = await waitFor("nas3's second envelope in latest_state", async () => {
    const [row] = await pipeline.sql`
      SELECT l.payload FROM latest_state l JOIN devices d ON d.id = l.device_id
      WHERE d.hostname = 'nas3' AND l.domain = 'zfs' AND l.collected_at = ${new Date(t0 + 5 * MIN)}`;
    return row?.payload;
  });
  expect(payload.pools.value.map((p: { name: string }) => p.name)).toEqual(["tank", "backup", "scratch"]);
  expect(payload.pools.item_errors).toEqual([
    { name: "fast", error: expect.objectContaining({ code: "PARSE_FAILED", line: 4 }) },
  ]);
  expect(payload.status.value.map((p: { name: string }) => p.name)).toEqual(["tank", "backup", "scratch"]);
  expect(payload.status.item_errors.map((e: { name: string }) => e.name)).toEqual(["tank", "fast"]);
  const after = await poolsOf();
  // fast was seen but not read: its stored row stays (from the first envelope); the others are updated.
  expect(after.map((p) => [p.pool, (p.updated_at as Date).getTime()])).toEqual([
    ["backup", t0 + 5 * MIN],
    ["fast", t0],
    ["scratch", t0 + 5 * MIN],
    ["tank", t0 + 5 * MIN],
  ]);
}, 120_000);
