import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBackupsCollector } from "@infrastructor/domains/backups/agent/index.ts";
import { probeArgv } from "@infrastructor/domains/backups/agent/observe.ts";
import { ProbeConfigSchema } from "@infrastructor/domains/backups/agent/options.ts";
import { createDockerCollector } from "@infrastructor/domains/docker/agent/index.ts";
import { fixture as dockerFixture } from "@infrastructor/domains/docker/agent/testing/captures.ts";
import { createInventoryCollector } from "@infrastructor/domains/inventory/agent/index.ts";
import { createNetworkCollector } from "@infrastructor/domains/network/agent/index.ts";
import { createSmartCollector } from "@infrastructor/domains/smart/agent/index.ts";
import { testdata as smartTestdata } from "@infrastructor/domains/smart/agent/testing/captures.ts";
import { createSystemCollector } from "@infrastructor/domains/system/agent/index.ts";
import { createUpdatesCollector } from "@infrastructor/domains/updates/agent/index.ts";
import { testdata as updatesTestdata } from "@infrastructor/domains/updates/agent/testing/captures.ts";
import { createVmsCollector } from "@infrastructor/domains/vms/agent/index.ts";
import { collectFixtureHost } from "@infrastructor/domains/vms/agent/testing/fixture-host.ts";
import {
  DATASETS_ARGV,
  SNAPSHOTS_ARGV,
  ZPOOL_LIST_ARGV,
  ZPOOL_STATUS_ARGV,
} from "@infrastructor/domains/zfs/agent/commands.ts";
import { createZfsCollector } from "@infrastructor/domains/zfs/agent/index.ts";
import { fixture as zfsFixture } from "@infrastructor/domains/zfs/agent/testing/captures.ts";
import type { CollectResult } from "@infrastructor/lib/collect/collector.ts";
import type { DockerResponse, Executor } from "@infrastructor/lib/exec/executor.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";
import { type ScriptedAnswer, ScriptedExecutor, type ScriptedOutput } from "../scripted-executor.ts";
import type { McpHarness } from "./mcp-harness.ts";

/**
 * A small fleet filled through the real pipeline with real collector output:
 * - alpha: this machine (LocalExecutor): inventory, system, network, updates, and vms (unavailable here).
 * - nas: the collectors over their tests' captured and handwritten outputs: network (captured here, its
 *   address moved to 192.0.2.10; a Tailscale status), vms (virsh + pvesh), backups (restic ok, a late
 *   file, borg not installed), zfs (a DEGRADED pool being resilvered), smart (a WD Red with 24
 *   reallocated sectors, a failed Hitachi, a healthy NVMe), docker (compose fixtures, web made
 *   unhealthy), updates (apt with security updates, a reboot required, nginx pulled again).
 * - router: silent for two hours (its only envelopes are old): network at 192.0.2.1, a restic repo with
 *   no snapshot.
 */
export interface Fleet {
  alpha: {
    network: CollectResult<"network">;
    updates: CollectResult<"updates">;
    system: CollectResult<"system">;
  };
  cleanup(): Promise<void>;
}

const NET = "../../../domains/network/agent/testcases";
const netFixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, NET, name)).text();
const ok = (stdout: string): ScriptedAnswer => ({ exitCode: 0, stdout });

export async function seedFleet(harness: McpHarness): Promise<Fleet> {
  const dir = await mkdtemp(join(tmpdir(), "mcp-fleet-"));
  const local = new LocalExecutor();
  const ingest = async <D extends Domain>(host: string, domain: D, result: CollectResult<D>, at?: Date) => {
    await harness.ingest(host, domain, result, at);
  };

  // alpha: this machine.
  const network = await createNetworkCollector({ executor: local }).collect();
  const updates = await createUpdatesCollector({ executor: local }).collect();
  // One sample without a prime: cpu % is null (a busy test machine would otherwise cross a threshold).
  const system = createSystemCollector({ executor: local });
  await ingest("alpha", "inventory", await createInventoryCollector({ executor: local }).collect());
  const systemSample = await system.collect();
  await ingest("alpha", "system", systemSample);
  await ingest("alpha", "network", network);
  await ingest("alpha", "updates", updates);
  await ingest("alpha", "vms", await createVmsCollector({ executor: local }).collect());

  // nas and router: fixtures.
  const nasNow = new Date();
  for (const [domain, result] of await nasResults(dir)) await ingest("nas", domain, result, nasNow);
  const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
  for (const [domain, result] of await routerResults()) await ingest("router", domain, result, twoHoursAgo);

  return {
    alpha: { network, updates, system: systemSample },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** `ip -j addr` as captured on this machine, moved to another address and MAC in the same subnets. */
async function movedAddr(last: string, macByte: string): Promise<string> {
  return (await netFixture("local-dev-vm/ip-addr.json"))
    .replaceAll('"192.0.2.2"', `"192.0.2.${last}"`)
    .replaceAll('"fd00::2"', `"fd00::${last}"`)
    .replaceAll("02:fc:00:00:00:01", `02:fc:00:00:00:${macByte}`);
}

async function networkOf(
  addr: string,
  neigh: string,
  tailscale: string | null,
): Promise<CollectResult<"network">> {
  const script: Record<string, ScriptedAnswer> = {
    "ip -j addr": ok(addr),
    "ip -j route": ok(await netFixture("local-dev-vm/ip-route.json")),
    "ip -j -6 route": ok(await netFixture("local-dev-vm/ip-route.v6.json")),
    "ip -j neigh": ok(neigh),
    "ss -Htlnp": ok(await netFixture("local-dev-vm/ss.tcp.txt")),
    "ss -Hulnp": ok(await netFixture("local-dev-vm/ss.udp.txt")),
    ...(tailscale === null ? {} : { "tailscale status --json": ok(tailscale) }),
  };
  return createNetworkCollector({
    executor: new ScriptedExecutor(script),
    resolv: { resolvConf: join(import.meta.dir, NET, "local-dev-vm/resolv-conf.txt") },
  }).collect();
}

export async function nasResults(dir: string): Promise<[Domain, CollectResult<Domain>][]> {
  const neigh = JSON.stringify([
    ...JSON.parse(await netFixture("local-dev-vm/ip-neigh.json")),
    { dst: "192.0.2.2", dev: "eth0", lladdr: "02:fc:00:00:00:01", state: ["REACHABLE"] },
  ]);
  const network = await networkOf(
    await movedAddr("10", "0a"),
    neigh,
    await netFixture("handwritten-tailscale-status/tailscale-status.json"),
  );
  return [
    ["network", network],
    ["vms", await collectFixtureHost()],
    ["backups", await nasBackups(dir)],
    ["zfs", await zfsResult(dir)],
    ["smart", await smartResult()],
    [
      "docker",
      await createDockerCollector({ executor: await dockerExecutor(new LocalExecutor()) }).collect(),
    ],
    ["updates", await nasUpdates(dir)],
  ];
}

async function routerResults(): Promise<[Domain, CollectResult<Domain>][]> {
  const neigh = JSON.stringify([
    { dst: "192.0.2.10", dev: "eth0", lladdr: "02:fc:00:00:00:0a", state: ["STALE"] },
  ]);
  const restic = ProbeConfigSchema.parse({
    kind: "restic",
    name: "restic-router",
    max_age_h: 26,
    repository: "/mnt/restic-router",
    password_file: "/etc/restic.pw",
  });
  const executor = new ScriptedExecutor({
    [(probeArgv(restic) ?? []).join(" ")]: ok(
      await Bun.file(
        join(
          import.meta.dir,
          "../../../domains/backups/agent/testcases/handwritten-restic-snapshots-empty/restic-snapshots.json",
        ),
      ).text(),
    ),
  });
  return [
    ["network", await networkOf(await movedAddr("1", "05"), neigh, null)],
    ["backups", await createBackupsCollector({ executor, probes: [restic] }).collect()],
  ];
}

async function nasBackups(dir: string): Promise<CollectResult<"backups">> {
  const dump = join(dir, "dump.sql.gz");
  await writeFile(dump, "0123456789");
  const thirtyHoursAgo = new Date(Date.now() - 30 * 3_600_000);
  await utimes(dump, thirtyHoursAgo, thirtyHoursAgo);
  // The restic fixture's snapshot is of 2026-11-24: a year's max age keeps it ok whenever this runs.
  const restic = ProbeConfigSchema.parse({
    kind: "restic",
    name: "restic-nas",
    max_age_h: 24 * 365,
    repository: "/mnt/restic",
    password_file: "/etc/restic.pw",
  });
  const path = ProbeConfigSchema.parse({ kind: "path", name: "pg-dump", max_age_h: 24, path: dump });
  const borg = ProbeConfigSchema.parse({
    kind: "borg",
    name: "borg-off",
    max_age_h: 26,
    repository: "/mnt/borg",
  });
  const executor = new ScriptedExecutor({
    [(probeArgv(restic) ?? []).join(" ")]: ok(
      await Bun.file(
        join(
          import.meta.dir,
          "../../../domains/backups/agent/testcases/handwritten-restic-snapshots-0.17/restic-snapshots.json",
        ),
      ).text(),
    ),
  });
  return createBackupsCollector({ executor, probes: [restic, path, borg] }).collect();
}

async function zfsResult(dir: string): Promise<CollectResult<"zfs">> {
  const procRoot = join(dir, "proc");
  await mkdir(join(procRoot, "spl/kstat/zfs"), { recursive: true });
  await writeFile(
    join(procRoot, "spl/kstat/zfs/arcstats"),
    await zfsFixture("node-exporter-arcstats/arcstats.txt"),
  );
  const executor = new ScriptedExecutor({
    [ZPOOL_LIST_ARGV.join(" ")]: ok(await zfsFixture("handwritten-tank-backup/zpool-list.txt")),
    [ZPOOL_STATUS_ARGV.join(" ")]: ok(await zfsFixture("handwritten-tank-backup/zpool-status.txt")),
    [DATASETS_ARGV.join(" ")]: ok(await zfsFixture("handwritten-tank-backup/zfs-list.txt")),
    [SNAPSHOTS_ARGV.join(" ")]: ok(await zfsFixture("handwritten-tank-backup/zfs-snapshots.txt")),
  });
  return createZfsCollector({ executor, procRoot }).collect();
}

/** The WD Red capture with its reallocated sector count raised (derived, as the collector's test does). */
function wdcWithReallocated(count: number): string {
  const json = JSON.parse(smartTestdata("smartctl-exporter-wdc-wd20efrx-sata-hdd/smartctl-json.json"));
  const row = json.ata_smart_attributes.table.find((a: { id: number }) => a.id === 5);
  row.raw = { string: String(count), value: count };
  return JSON.stringify(json);
}

async function smartResult(): Promise<CollectResult<"smart">> {
  const devices: Record<string, [string, ScriptedOutput]> = {
    "/dev/sda": ["sat", { stdout: wdcWithReallocated(24), exitCode: 0 }],
    "/dev/sdc": [
      "sat",
      {
        stdout: smartTestdata("scrutiny-smart-fail2-hitachi-failed-exit216/smartctl-json.json"),
        exitCode: 216,
      },
    ],
    "/dev/nvme0": [
      "nvme",
      { stdout: smartTestdata("telegraf-smartctl-nvme-sabrent/smartctl-json.json"), exitCode: 0 },
    ],
  };
  const scan = {
    json_format_version: [1, 0],
    smartctl: { version: [7, 4], exit_status: 0 },
    devices: Object.entries(devices).map(([name, [type]]) => ({ name, type })),
  };
  const executor = new ScriptedExecutor((argv) =>
    argv.includes("--scan-open")
      ? { stdout: JSON.stringify(scan), exitCode: 0 }
      : devices[argv.at(-1) ?? ""]?.[1],
  );
  return createSmartCollector({ executor }).collect();
}

/** The Docker API answering from the compose fixtures; the web container's health check now fails. */
async function dockerExecutor(base: Executor): Promise<Executor> {
  const inspect = JSON.parse(await dockerFixture("handwritten-compose/inspect.json"));
  inspect.State.Health.Status = "unhealthy";
  inspect.State.Health.FailingStreak = 5;
  const answers: Record<string, string> = {
    "/containers/json?all=1": await dockerFixture("handwritten-compose/containers.json"),
    // The updates domain lists running containers only (no all=1).
    "/containers/json": JSON.stringify(
      JSON.parse(await dockerFixture("handwritten-compose/containers.json")).filter(
        (c: { State: string }) => c.State === "running",
      ),
    ),
    [`/containers/${inspect.Id}/json`]: JSON.stringify(inspect),
    [`/containers/${inspect.Id}/stats?stream=false`]: await dockerFixture(
      "handwritten-stats-cgroup2/stats.json",
    ),
    "/networks": await dockerFixture("handwritten-networks/networks.json"),
    "/images/json": await dockerFixture("handwritten-images/images.json"),
  };
  return Object.assign(Object.create(base) as Executor, {
    async dockerGet(path: string): Promise<DockerResponse> {
      const body = answers[path];
      return body === undefined
        ? { status: 500, body: '{"message":"not in the fixtures"}', truncated: false }
        : { status: 200, body, truncated: false };
    },
  });
}

async function nasUpdates(dir: string): Promise<CollectResult<"updates">> {
  const runDir = join(dir, "root", "var", "run");
  await mkdir(runDir, { recursive: true });
  await writeFile(join(runDir, "reboot-required"), "*** System restart required ***\n");
  await writeFile(
    join(runDir, "reboot-required.pkgs"),
    await updatesTestdata("handwritten__reboot_required.pkgs"),
  );
  const script = new ScriptedExecutor({
    "apt --version": { exitCode: 0, stdout: "apt 2.6.1 (amd64)\n" },
    "env LC_ALL=C apt list --upgradable": {
      exitCode: 0,
      stdout: await updatesTestdata("handwritten-apt-list-upgradable-security/apt.txt"),
    },
  });
  return createUpdatesCollector({
    executor: await dockerExecutor(script),
    hostRoot: join(dir, "root"),
  }).collect();
}
