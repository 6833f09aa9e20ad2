import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBackupsCollector } from "@infrastructor/domains/backups/agent/index.ts";
import { probeArgv } from "@infrastructor/domains/backups/agent/observe.ts";
import { ProbeConfigSchema } from "@infrastructor/domains/backups/agent/options.ts";
import { createDockerCollector } from "@infrastructor/domains/docker/agent/index.ts";
import { telegrafHost } from "@infrastructor/domains/docker/agent/testing/telegraf-host.ts";
import { createLogsCollector } from "@infrastructor/domains/logs/agent/index.ts";
import { memoryPositionStore } from "@infrastructor/domains/logs/agent/position-store.ts";
import { testdata as logsTestdata } from "@infrastructor/domains/logs/agent/testing/captures.ts";
import { createVmsCollector } from "@infrastructor/domains/vms/agent/index.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import {
  type McpHarness,
  type McpSession,
  startMcpHarness,
} from "@infrastructor/lib/testing/mcp/mcp-harness.ts";
import { ScriptedExecutor } from "@infrastructor/lib/testing/scripted-executor.ts";

/**
 * Issue 13 section 1 in the answers: a host whose agent could not read one container, one guest, one
 * restic snapshot and two syslog lines (real collectors over captures with one damaged item each).
 * Each tool's text names the unreadable item and why, in one line, beside everything that was read.
 */
let harness: McpHarness;
let session: McpSession;
let root: string;
const HOST = "items1";
const AGENTS = join(import.meta.dir, "../../../shared/domains");
const capture = (path: string): string => readFileSync(join(AGENTS, path), "utf8");

beforeAll(async () => {
  harness = await startMcpHarness();
  root = await mkdtemp(join(tmpdir(), "mcp-items-"));

  const list = JSON.parse(
    capture("docker/agent/testcases/telegraf-containers-list/containers.json"),
  ) as Record<string, unknown>[];
  const damagedList = JSON.stringify(list.map((c, i) => (i === 1 ? { ...c, Ports: "x" } : c)));
  const docker = createDockerCollector({
    executor: await telegrafHost({ "/containers/json?all=1": damagedList }),
  });
  await harness.ingest(HOST, "docker", await docker.collect());

  const VIRSH = "virsh --readonly -c qemu:///system";
  const vms = createVmsCollector({
    executor: new ScriptedExecutor(
      {
        [`${VIRSH} list --all`]: () =>
          capture("vms/agent/testcases/handwritten-libvirt-host/virsh-list.txt").replace("paused", "frozen"),
        [`${VIRSH} domstats`]: () =>
          capture("vms/agent/testcases/handwritten-libvirt-host/virsh-domstats.txt"),
      },
      { unscripted: "fails", files: {} },
    ),
  });
  await harness.ingest(HOST, "vms", await vms.collect());

  const restic = ProbeConfigSchema.parse({
    kind: "restic",
    name: "restic-nas",
    max_age_h: 26,
    repository: "/mnt/restic",
    password_file: "/etc/infrastructor/restic.pw",
  });
  const snapshots = JSON.parse(
    capture("backups/agent/testcases/handwritten-restic-snapshots-0.17/restic-snapshots.json"),
  ) as Record<string, unknown>[];
  const damaged = JSON.stringify(snapshots.map((s, i) => (i === 0 ? { ...s, time: "yesterday" } : s)));
  const backups = createBackupsCollector({
    executor: new ScriptedExecutor({
      [(probeArgv(restic) ?? []).join(" ")]: { exitCode: 0, stdout: damaged },
    }),
    probes: [restic],
  });
  await harness.ingest(HOST, "backups", await backups.collect());

  await mkdir(join(root, "var/log"), { recursive: true });
  await writeFile(join(root, "var/log/syslog"), await logsTestdata("jc-syslog-rfc3164/syslog.txt"));
  const logs = createLogsCollector({
    executor: new LocalExecutor(),
    store: memoryPositionStore(),
    hostRoot: root,
  });
  await harness.ingest(HOST, "logs", await logs.collect());

  session = await harness.connect();
}, 180_000);

afterAll(async () => {
  await harness?.destroy();
  await rm(root, { recursive: true, force: true });
}, 60_000);

async function text(name: string, args: Record<string, unknown>): Promise<string> {
  const result = await session.call(name, args);
  expect(result.isError).toBeFalsy();
  const [first] = result.content as { type: string; text: string }[];
  return first?.text ?? "";
}

describe("answers name the items their agent could not read", () => {
  test("list_containers: one line for the unreadable container, the four others listed", async () => {
    const answer = await text("list_containers", { device: HOST });
    expect(answer).toContain("4 containers on 1 device(s)");
    expect(answer).toContain(
      "1 container could not be read: items1/etcd2: GET /containers/json: unexpected shape at [1].Ports",
    );
    for (const name of ["etcd", "acme", "acme-test", "foo"]) expect(answer).toContain(`- items1/${name}:`);
    // Fleet-wide too (the stored path reads only the payloads that have item errors).
    expect(await text("list_containers", {})).toContain("1 container could not be read: items1/etcd2:");
  });

  test("get_container_details: the unreadable container is named as listed-but-unreadable", async () => {
    const result = await session.call("get_container_details", { device: HOST, container_name: "etcd2" });
    expect(result.isError).toBe(true);
    const error = (result.structuredContent as { error: { code: string; message: string } }).error;
    expect(error.code).toBe("PARSE_FAILED");
    expect(error.message).toContain('container "etcd2" on items1 was listed but its agent could not read it');
    const acme = await text("get_container_details", { device: HOST, container_name: "acme" });
    expect(acme).toContain("1 other container could not be read: etcd2:");
  });

  test("get_vm_status: the guest whose row did not parse, beside the four others", async () => {
    const answer = await text("get_vm_status", { device: HOST });
    expect(answer).toContain(
      "1 guest could not be read: libvirt db-primary: virsh list: row is not `Id Name State` (line 4).",
    );
    expect(answer).toMatch(/- web01 \(vm web01\): running/);
  });

  test("get_backup_status: the probe judged by its readable snapshot, the unreadable one under it", async () => {
    const answer = await text("get_backup_status", { device: HOST });
    expect(answer).toMatch(/- restic-nas \(restic\): (OK|LATE), last .* ago/);
    expect(answer).toContain(
      "  1 backup could not be read: 3f2a9c1d: restic snapshots --json: [0].time is not a timestamp: yesterday.",
    );
  });

  test("get_system_logs: the last poll's unparsable lines, counted and named", async () => {
    const answer = await text("get_system_logs", { device: HOST, since: "7d" });
    expect(answer).toMatch(
      /2 log lines of the last poll could not be read: f:\d+:\d+: syslog: PRI 3444 is above 191 \(line 2\); f:\d+:\d+: syslog: no RFC 3164 or RFC 3339 timestamp \(line 35\)\./,
    );
  });
});
