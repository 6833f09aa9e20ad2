import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBackupsCollector } from "@infrastructor/domains/backups/agent/index.ts";
import { probeArgv } from "@infrastructor/domains/backups/agent/observe.ts";
import { ProbeConfigSchema } from "@infrastructor/domains/backups/agent/options.ts";
import { createDockerCollector } from "@infrastructor/domains/docker/agent/index.ts";
import { fixture as dockerFixture } from "@infrastructor/domains/docker/agent/testing/captures.ts";
import type { LogEntry } from "@infrastructor/domains/logs/schema.ts";
import { createSmartCollector } from "@infrastructor/domains/smart/agent/index.ts";
import { testdata as smartTestdata } from "@infrastructor/domains/smart/agent/testing/captures.ts";
import { createSystemCollector } from "@infrastructor/domains/system/agent/index.ts";
import type { SystemData } from "@infrastructor/domains/system/schema.ts";
import { createUpdatesCollector } from "@infrastructor/domains/updates/agent/index.ts";
import { testdata as updatesTestdata } from "@infrastructor/domains/updates/agent/testing/captures.ts";
import {
  DATASETS_ARGV,
  SNAPSHOTS_ARGV,
  ZPOOL_LIST_ARGV,
  ZPOOL_STATUS_ARGV,
} from "@infrastructor/domains/zfs/agent/commands.ts";
import { createZfsCollector } from "@infrastructor/domains/zfs/agent/index.ts";
import {
  fixture as zfsFixture,
  zpoolStatusExporterCapture,
} from "@infrastructor/domains/zfs/agent/testing/captures.ts";
import type { CollectResult } from "@infrastructor/lib/collect/collector.ts";
import type { DockerResponse, Executor } from "@infrastructor/lib/exec/executor.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { type ScriptedAnswer, ScriptedExecutor } from "../scripted-executor.ts";
import type { McpHarness } from "./mcp-harness.ts";

/**
 * A fleet with several problems at once, filled through the real pipeline from captured outputs
 * (changes to a capture are named where they are made):
 * - store1: pool mypool DEGRADED, its UNAVAIL member the Hitachi that SMART says FAILED (/dev/sdb);
 *   pool backup's last scrub repaired 1.5 MiB; kernel I/O errors on sdb in its logs.
 * - web1: compose project shop with db exited 137 while web runs, web's depends_on db and cache down;
 *   web's restart count rising 1 -> 4 -> 9 over three samples; two processes OOM-killed.
 * - db1: /var/lib/postgresql growing 12 GiB/day with 36 GiB free (full in 3 days); a restic probe
 *   whose repository has never had a snapshot; 4 security updates and a reboot pending.
 * - old1: silent for two hours.
 */
export interface ProblemFleet {
  cleanup(): Promise<void>;
}

const HOUR = 3_600_000;
const GIB = 2 ** 30;
const ok = (stdout: string): ScriptedAnswer => ({ exitCode: 0, stdout });
const FLEET = join(import.meta.dir, "../../../domains/logs/server/testdata");

export async function seedProblemFleet(harness: McpHarness): Promise<ProblemFleet> {
  const dir = await mkdtemp(join(tmpdir(), "mcp-problems-"));
  // Taken when each envelope is built: a slow seeding must not age the first hosts' newest data.
  const at = (hoursAgo: number): Date => new Date(Date.now() - hoursAgo * HOUR);

  await harness.ingest("store1", "zfs", await store1Zfs(dir), at(0));
  await harness.ingest("store1", "smart", await store1Smart(), at(0));
  await harness.ingest("store1", "logs", await kernelLogs("store1", /sdb/, at(1)), at(0));

  for (const [hoursAgo, restarts] of [
    [2, 1],
    [1, 4],
    [0, 9],
  ] as const) {
    await harness.ingest("web1", "docker", await shopDocker(restarts), at(hoursAgo));
  }
  await harness.ingest("web1", "logs", await kernelLogs("web1", /[Oo]ut of memory|oom/, at(3)), at(0));

  const sample = (await createSystemCollector({ executor: new LocalExecutor() }).collect()).data;
  if (sample === null) throw new Error("this machine gave no system sample");
  // Six hourly samples: 3 GiB more used each half day, 36 GiB free at the last (12 GiB/day: 3 days).
  for (let h = 5; h >= 0; h--) {
    await harness.ingest("db1", "system", { data: growing(sample, 36 + h * 0.5), errors: [] }, at(h));
  }
  await harness.ingest("db1", "backups", await neverBackedUp(), at(0));
  await harness.ingest("db1", "updates", await securityUpdates(dir), at(0));

  await harness.ingest("old1", "logs", { data: journal([]), errors: [] }, at(2));
  return { cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The captured mypool (a member UNAVAIL) with its members renamed to the Hitachi's by-id names. */
async function store1Zfs(dir: string): Promise<CollectResult<"zfs">> {
  const mypool = (await zpoolStatusExporterCapture("DEGRADED_unavail_disk"))
    .replace("ata-ST8000DM004-xxxxxx_redacted", "ata-Hitachi_HDS721050DLE630_MSK423Y20S3HBC")
    .replaceAll("ata-ST8000VN004-xxxxxx_redacted", "ata-WDC_WD20EFRX-68EUZN0_WD-WCC4M0000000");
  // The captured healthy mirror, named backup, its scrub having repaired 1.5 MiB (was 0B).
  const backup = (await zfsFixture("jc-healthy-mirror-scrub-done/zpool-status.txt"))
    .replaceAll("pool1", "backup")
    .replace("repaired 0B", "repaired 1572864");
  // The captured tank/backup listing, tank renamed mypool.
  const list = (await zfsFixture("handwritten-tank-backup/zpool-list.txt")).replace("tank", "mypool");
  const procRoot = join(dir, "proc");
  await mkdir(procRoot, { recursive: true });
  const executor = new ScriptedExecutor({
    [ZPOOL_LIST_ARGV.join(" ")]: ok(list),
    [ZPOOL_STATUS_ARGV.join(" ")]: ok(`${mypool}\n${backup}`),
    [DATASETS_ARGV.join(" ")]: ok(await zfsFixture("handwritten-tank-backup/zfs-list.txt")),
    [SNAPSHOTS_ARGV.join(" ")]: ok(await zfsFixture("handwritten-tank-backup/zfs-snapshots.txt")),
  });
  return createZfsCollector({ executor, procRoot }).collect();
}

/** The Hitachi whose SMART health check FAILED (exit 216), as /dev/sdb; a healthy NVMe. */
async function store1Smart(): Promise<CollectResult<"smart">> {
  const devices: Record<string, [string, string, number]> = {
    "/dev/sdb": ["sat", smartTestdata("scrutiny-smart-fail2-hitachi-failed-exit216/smartctl-json.json"), 216],
    "/dev/nvme0": ["nvme", smartTestdata("telegraf-smartctl-nvme-sabrent/smartctl-json.json"), 0],
  };
  const scan = {
    json_format_version: [1, 0],
    smartctl: { version: [7, 4], exit_status: 0 },
    devices: Object.entries(devices).map(([name, [type]]) => ({ name, type })),
  };
  const executor = new ScriptedExecutor((argv) => {
    if (argv.includes("--scan-open")) return { stdout: JSON.stringify(scan), exitCode: 0 };
    const d = devices[argv.at(-1) ?? ""];
    return d === undefined ? undefined : { stdout: d[1], exitCode: d[2] };
  });
  return createSmartCollector({ executor }).collect();
}

/** Kernel lines of the source-built log (fleet/testdata) that match `which`, re-timed from `from` on. */
async function kernelLogs(host: string, which: RegExp, from: Date): Promise<CollectResult<"logs">> {
  const text = await Bun.file(join(FLEET, "built__kernel_oom_and_io_errors.txt")).text();
  const lines = text
    .trimEnd()
    .split("\n")
    .map((l) => l.slice(21))
    .filter((m) => which.test(m));
  const entries = lines.map(
    (message, i): LogEntry => ({
      time: new Date(from.getTime() + i * 60_000).toISOString(),
      entry_id: `j:${host}-${i}`,
      priority: 3,
      facility: 0,
      hostname: host,
      unit: "",
      identifier: "kernel",
      pid: null,
      message,
    }),
  );
  return { data: journal(entries), errors: [] };
}

function journal(entries: LogEntry[]): CollectResult<"logs">["data"] {
  return { source: "journal", path: "", read: { ok: true, entries, backlog: "drained" } };
}

/** The compose fixtures (web running, db exited 137), web's inspect saying `restarts` restarts. */
async function shopDocker(restarts: number): Promise<CollectResult<"docker">> {
  const inspect = JSON.parse(await dockerFixture("handwritten-compose/inspect.json"));
  inspect.RestartCount = restarts;
  const answers: Record<string, string> = {
    "/containers/json?all=1": await dockerFixture("handwritten-compose/containers.json"),
    [`/containers/${inspect.Id}/json`]: JSON.stringify(inspect),
    [`/containers/${inspect.Id}/stats?stream=false`]: await dockerFixture(
      "handwritten-stats-cgroup2/stats.json",
    ),
    "/networks": await dockerFixture("handwritten-networks/networks.json"),
  };
  const executor = Object.assign(Object.create(new LocalExecutor()) as Executor, {
    async dockerGet(path: string): Promise<DockerResponse> {
      const body = answers[path];
      return body === undefined
        ? { status: 500, body: '{"message":"not in the fixtures"}', truncated: false }
        : { status: 200, body, truncated: false };
    },
  });
  return createDockerCollector({ executor }).collect();
}

/**
 * This machine's sample, quiet, with one 100 GiB mount holding `freeGiB` free. The mount is written
 * whole: a machine whose mounts the collector filters out (a container's overlay root) still seeds it.
 */
function growing(sample: SystemData, freeGiB: number): SystemData {
  const free = freeGiB * GIB;
  return {
    ...sample,
    cpu: null,
    memory: { ...sample.memory, total_bytes: 8 * GIB, available_bytes: 6 * GIB },
    mounts: [
      {
        mountpoint: "/var/lib/postgresql",
        device: "/dev/sdb1",
        fstype: "ext4",
        size_bytes: 100 * GIB,
        used_bytes: 100 * GIB - free,
        free_bytes: free,
        inodes_total: 6_553_600,
        inodes_used: 120_000,
        inodes_free: 6_433_600,
      },
    ],
  };
}

/** A restic repository that has never had a snapshot (the empty-repository capture). */
async function neverBackedUp(): Promise<CollectResult<"backups">> {
  const restic = ProbeConfigSchema.parse({
    kind: "restic",
    name: "restic-db",
    max_age_h: 26,
    repository: "/mnt/restic-db",
    password_file: "/etc/restic.pw",
  });
  const empty = join(
    import.meta.dir,
    "../../../domains/backups/agent/testcases/handwritten-restic-snapshots-empty/restic-snapshots.json",
  );
  const executor = new ScriptedExecutor({
    [(probeArgv(restic) ?? []).join(" ")]: ok(await Bun.file(empty).text()),
  });
  return createBackupsCollector({ executor, probes: [restic] }).collect();
}

async function securityUpdates(dir: string): Promise<CollectResult<"updates">> {
  const root = join(dir, "db1-root");
  await mkdir(join(root, "var", "run"), { recursive: true });
  const executor = new ScriptedExecutor({
    "apt --version": { exitCode: 0, stdout: "apt 2.6.1 (amd64)\n" },
    "env LC_ALL=C apt list --upgradable": {
      exitCode: 0,
      stdout: await updatesTestdata("handwritten-apt-list-upgradable-security/apt.txt"),
    },
  });
  return createUpdatesCollector({ executor, hostRoot: root }).collect();
}
