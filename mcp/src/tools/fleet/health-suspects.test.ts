import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createSystemCollector } from "@infrastructor/domains/system/agent/index.ts";
import type { SystemData } from "@infrastructor/domains/system/schema.ts";
import { systemFindings } from "@infrastructor/domains/system/server/health.ts";
import { parseZpoolList } from "@infrastructor/domains/zfs/agent/parse-zpool-list.ts";
import { parseZpoolStatus } from "@infrastructor/domains/zfs/agent/parse-zpool-status.ts";
import { fixture, zpoolStatusExporterCapture } from "@infrastructor/domains/zfs/agent/testing/captures.ts";
import type { ZfsData, ZfsPoolStatus } from "@infrastructor/domains/zfs/schema.ts";
import { zfsFindings } from "@infrastructor/domains/zfs/server/health.ts";
import { connectDatabase, type DbHandles } from "@infrastructor/lib/db/connect.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import { type RawBuilder, sql } from "kysely";
import type { Provenance } from "../../answer/provenance.ts";
import { systemSuspect, zfsSuspect } from "./health-suspects.ts";

/**
 * The health check loads only the payloads its SQL predicates pick: each predicate must hold wherever
 * its rule finds something, or a finding is silently lost. Held here against the rules themselves on
 * captured zpool outputs, this machine's own system sample, and mutations of both across every
 * condition and threshold boundary; and each must be false on a healthy payload, or it filters nothing.
 */
let pg: Awaited<ReturnType<typeof startTestPostgres>>;
let handles: DbHandles;
const T = { cpuPct: 90, memPct: 90, diskPct: 85 };
const P: Provenance = {
  device: "d",
  domain: "x",
  source: "stored",
  observed_at: null,
  age_s: null,
  stale: false,
};

beforeAll(async () => {
  pg = await startTestPostgres();
  handles = connectDatabase(pg.url, 2);
}, 60_000);

afterAll(async () => {
  await handles?.close();
  await pg?.destroy();
});

/** The predicates of many payloads at once, evaluated by PostgreSQL as latest_state rows would be. */
async function holds(predicate: RawBuilder<boolean>, payloads: readonly unknown[]): Promise<boolean[]> {
  const rows = await sql<{ i: number; s: boolean | null }>`
    SELECT i::int, ${predicate} AS s
    FROM jsonb_array_elements(${JSON.stringify(payloads)}::text::jsonb) WITH ORDINALITY AS t(payload, i)
    ORDER BY i`.execute(handles.db);
  return rows.rows.map((r) => r.s === true);
}

async function zfsVariants(): Promise<{ name: string; data: ZfsData }[]> {
  const statuses: [string, string][] = [
    ["resilver", await fixture("handwritten-tank-backup/zpool-status.txt")],
    ["no pools", await fixture("handwritten-no-pools/zpool-status.txt")],
    ["jc degraded", await fixture("jc-degraded-unavail-disk/zpool-status.txt")],
    ["jc healthy", await fixture("jc-healthy-mirror-scrub-done/zpool-status.txt")],
    ["jc spares", await fixture("jc-spares/zpool-status.txt")],
  ];
  for (const name of [
    "DEGRADED_corrupted_label",
    "DEGRADED_unavail_disk",
    "new_pool_never_scanned",
    "online_data_corruption",
    "resilvered",
    "scrub_in_progress",
  ]) {
    statuses.push([name, await zpoolStatusExporterCapture(name)]);
  }
  const [listed] = parseZpoolList(await fixture("handwritten-tank-backup/zpool-list.txt")).items;
  if (listed === undefined) throw new Error("the zpool list capture has no pool");
  // `zpool list` and `zpool status` name the same pools; the list's health is the status's state.
  const listFor = (status: ZfsPoolStatus[], capacity_pct: number) =>
    status.map((s) => ({ ...listed, name: s.name, health: s.state, capacity_pct }));
  const base = (status: ZfsPoolStatus[]): ZfsData =>
    ({
      pools: { ok: true, value: listFor(status, 40) },
      status: { ok: true, value: status },
    }) as unknown as ZfsData;
  const out: { name: string; data: ZfsData }[] = [];
  for (const [name, text] of statuses) {
    const status = parseZpoolStatus(text).items;
    out.push({ name, data: base(status) });
    // Every vdev, one at a time, with one kind of error; every pool with data errors, or a state.
    status.forEach((pool, p) => {
      const withPool = (change: Partial<ZfsPoolStatus>): ZfsData =>
        base(status.map((x, i) => (i === p ? { ...x, ...change } : x)));
      out.push({ name: `${name} ${pool.name} data errors`, data: withPool({ data_errors: 1 }) });
      // zpool status -v's list of damaged files, its count unread.
      out.push({
        name: `${name} ${pool.name} damaged files`,
        data: withPool({
          data_errors: null,
          errors_text:
            "Permanent errors have been detected in the following files:\n\n        /tank/data/file.bin",
        }),
      });
      out.push({ name: `${name} ${pool.name} DEGRADED`, data: withPool({ state: "DEGRADED" }) });
      out.push({ name: `${name} ${pool.name} ONLINE`, data: withPool({ state: "ONLINE" }) });
      const scrubbed = { function: "scrub", state: "finished", done_pct: null, at_local: null } as const;
      out.push({
        name: `${name} ${pool.name} scrub repaired`,
        data: withPool({ scan: { ...scrubbed, repaired_bytes: 4096, errors: 0 } }),
      });
      out.push({
        name: `${name} ${pool.name} scrub errors`,
        data: withPool({ scan: { ...scrubbed, repaired_bytes: 0, errors: 2 } }),
      });
      pool.vdevs.forEach((_, v) => {
        for (const key of ["read_errors", "write_errors", "cksum_errors"] as const) {
          const vdevs = pool.vdevs.map((x, i) => (i === v ? { ...x, [key]: 1 } : x));
          out.push({ name: `${name} ${pool.name} vdev ${v} ${key}`, data: withPool({ vdevs }) });
        }
        // A member FAULTED, REMOVED, UNAVAIL, OFFLINE or DEGRADED in a pool that still says ONLINE.
        for (const state of ["FAULTED", "REMOVED", "UNAVAIL", "OFFLINE", "DEGRADED"]) {
          const vdevs = pool.vdevs.map((x, i) => (i === v ? { ...x, state } : x));
          out.push({
            name: `${name} ${pool.name} vdev ${v} ${state}`,
            data: withPool({ state: "ONLINE", vdevs }),
          });
        }
      });
    });
  }
  const healthy = parseZpoolStatus(await fixture("jc-healthy-mirror-scrub-done/zpool-status.txt")).items;
  // A pool zpool list says is UNAVAIL whose status block could not be read (an item error).
  const unread = {
    name: "backup",
    error: { code: "PARSE_FAILED", message: "no valid state: line", line: 1, excerpt: "  pool: backup" },
  };
  out.push({
    name: "list UNAVAIL, status block unreadable",
    data: {
      pools: { ok: true, value: [{ ...listed, name: "backup", health: "UNAVAIL", capacity_pct: null }] },
      status: { ok: true, value: [], item_errors: [unread] },
    } as unknown as ZfsData,
  });
  for (const capacity of [T.diskPct - 1, T.diskPct - 1e-9, T.diskPct, T.diskPct + 0.5, 100]) {
    const data = base(healthy);
    const withCapacity = {
      ...data,
      pools: { ok: true, value: listFor(healthy, capacity) },
    } as ZfsData;
    out.push({ name: `capacity ${capacity}`, data: withCapacity });
  }
  out.push({
    name: "status unreadable",
    data: {
      ...base([]),
      status: { ok: false, error: { code: "COMMAND_FAILED", message: "zpool: no such pool" } },
    } as ZfsData,
  });
  return out;
}

async function systemVariants(): Promise<{ name: string; data: SystemData }[]> {
  const system = createSystemCollector({ executor: new LocalExecutor() });
  await system.prime?.();
  // cpu % needs ticks between two readings of /proc/stat.
  let sample = null;
  for (let i = 0; i < 10 && sample?.cpu == null; i++) {
    await Bun.sleep(200);
    sample = (await system.collect()).data;
  }
  if (sample === null) throw new Error("this machine gave no system sample");
  const mount = sample.mounts[0];
  if (mount === undefined || sample.cpu === null) throw new Error("the sample has no mount or no cpu");
  // The sample as it is would cross a threshold on a busy machine: the base is set quiet.
  const quiet: SystemData = {
    ...sample,
    cpu: { ...sample.cpu, usage_pct: 5 },
    memory: { ...sample.memory, total_bytes: 1000, available_bytes: 900 },
    mounts: sample.mounts.map((m) => ({ ...m, used_bytes: 10, free_bytes: 90, size_bytes: 100 })),
  };
  const out = [{ name: "quiet", data: quiet }];
  const cpu = sample.cpu;
  for (const pct of [T.cpuPct - 1, T.cpuPct - 1e-9, T.cpuPct, T.cpuPct + 1e-9, 100]) {
    out.push({ name: `cpu ${pct}`, data: { ...quiet, cpu: { ...cpu, usage_pct: pct } } });
  }
  out.push({ name: "cpu unknown", data: { ...quiet, cpu: null } });
  // memory % = (total - available) / total: 3 of 10 available is 70 %, ... and a zero total.
  for (const [total, available] of [
    [1000, 101],
    [1000, 100],
    [1000, 99],
    [3, 0],
    [7, 1],
    [30, 3],
    [0, 0],
    [2 ** 40, 2 ** 40 / 10],
    [2 ** 40, 2 ** 40 / 10 - 1],
  ] as const) {
    out.push({
      name: `memory ${available} of ${total}`,
      data: { ...quiet, memory: { ...quiet.memory, total_bytes: total, available_bytes: available } },
    });
  }
  // disk % = used / (used + free), on one mount of several; and a mount with nothing usable.
  for (const [used, free] of [
    [84, 16],
    [85, 15],
    [17, 3],
    [170_000_000_001, 30_000_000_000],
    [0, 0],
    [1, 0],
  ] as const) {
    const mounts = [
      ...quiet.mounts,
      { ...mount, used_bytes: used, free_bytes: free, size_bytes: used + free },
    ];
    out.push({ name: `mount ${used} used ${free} free`, data: { ...quiet, mounts } });
  }
  // inodes used of used + free on one mount: under, at, over the threshold; none at all.
  for (const [used, free] of [
    [84, 16],
    [85, 15],
    [99, 1],
    [0, 0],
  ] as const) {
    const mounts = [
      ...quiet.mounts,
      { ...mount, inodes_used: used, inodes_free: free, inodes_total: used + free },
    ];
    out.push({ name: `inodes ${used} used ${free} free`, data: { ...quiet, mounts } });
  }
  // a sensor against its own limits: under, at, over; a limit too low to be one; no limit at all.
  for (const [temp, high, critical] of [
    [79, 80, 95],
    [80, 80, 95],
    [96, 80, 95],
    [96, null, 95],
    [45, 0, null],
    [45, 5, 10],
    [99, null, null],
  ] as const) {
    const temperatures = [
      ...quiet.temperatures,
      { sensor: "coretemp/Package id 0", temp_c: temp, high_c: high, critical_c: critical },
    ];
    out.push({ name: `sensor ${temp} high ${high} critical ${critical}`, data: { ...quiet, temperatures } });
  }
  return out;
}

describe("health suspects", () => {
  test("zfs: wherever zfsFindings finds something, the predicate holds; a healthy pool is left out", async () => {
    const variants = await zfsVariants();
    const picked = await holds(
      zfsSuspect(T),
      variants.map((v) => v.data),
    );
    const missed = variants.filter((v, i) => zfsFindings(P, v.data, T.diskPct).length > 0 && !picked[i]);
    expect(missed.map((v) => v.name)).toEqual([]);
    const flagged = variants.filter((v) => zfsFindings(P, v.data, T.diskPct).length > 0).length;
    expect(flagged).toBeGreaterThan(50);
    const healthy = variants.findIndex((v) => v.name === "jc healthy");
    expect(zfsFindings(P, variants[healthy]?.data as ZfsData, T.diskPct)).toEqual([]);
    expect(picked[healthy]).toBe(false);
    // The predicate is no blanket "true": it leaves out every variant the rule has nothing on but one
    // (capacity a hair under the threshold: within the margin, read and found clean).
    const extra = variants.filter((v, i) => picked[i] && zfsFindings(P, v.data, T.diskPct).length === 0);
    expect(extra.map((v) => v.name)).toEqual([`capacity ${T.diskPct - 1e-9}`]);
  }, 60_000);

  test("system: wherever systemFindings finds something, the predicate holds; a quiet host is left out", async () => {
    const variants = await systemVariants();
    const picked = await holds(
      systemSuspect(T),
      variants.map((v) => v.data),
    );
    const missed = variants.filter((v, i) => systemFindings(P, v.data, T).length > 0 && !picked[i]);
    expect(missed.map((v) => v.name)).toEqual([]);
    expect(variants.filter((v) => systemFindings(P, v.data, T).length > 0).length).toBeGreaterThan(8);
    expect(picked[0]).toBe(false);
    const extra = variants.filter((v, i) => picked[i] && systemFindings(P, v.data, T).length === 0);
    expect(extra.map((v) => v.name)).toEqual([`cpu ${T.cpuPct - 1e-9}`]);
  }, 60_000);
});
