import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBackupsCollector } from "@infrastructor/domains/backups/agent/index.ts";
import { probeArgv } from "@infrastructor/domains/backups/agent/observe.ts";
import { ProbeConfigSchema } from "@infrastructor/domains/backups/agent/options.ts";
import { createDockerCollector } from "@infrastructor/domains/docker/agent/index.ts";
import { fixture as dockerFixture } from "@infrastructor/domains/docker/agent/testing/captures.ts";
import { telegrafHost } from "@infrastructor/domains/docker/agent/testing/telegraf-host.ts";
import { createLogsCollector } from "@infrastructor/domains/logs/agent/index.ts";
import { memoryPositionStore } from "@infrastructor/domains/logs/agent/position-store.ts";
import { testdata as logsTestdata } from "@infrastructor/domains/logs/agent/testing/captures.ts";
import { createVmsCollector } from "@infrastructor/domains/vms/agent/index.ts";
import type { Collector } from "@infrastructor/lib/collect/collector.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { domainEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { type Pipeline, startPipeline } from "@infrastructor/lib/testing/pipeline-servers.ts";
import { publishEnvelopes } from "@infrastructor/lib/testing/publish.ts";
import { ScriptedExecutor } from "@infrastructor/lib/testing/scripted-executor.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import type { Envelope } from "@infrastructor/shared/envelope.ts";

/**
 * Issue 13 section 1, the collector's side: what an agent could read of a domain is stored (rows for
 * the readable items), and what it could not is kept in latest_state's payload as item errors. Each
 * sample comes from the real collector reading a capture with one damaged item.
 */
let pipeline: Pipeline;
let root: string;
const HOST = "items1";

beforeAll(async () => {
  pipeline = await startPipeline();
  root = await mkdtemp(join(tmpdir(), "item-errors-"));
}, 120_000);

afterAll(async () => {
  await pipeline?.destroy();
  await rm(root, { recursive: true, force: true });
}, 60_000);

async function envelopeOf<D extends "docker" | "logs" | "vms" | "backups">(
  c: Collector<D>,
  seq: number,
): Promise<Envelope> {
  const result = await c.collect();
  expect(result.data).not.toBeNull();
  return domainEnvelope(HOST, c.domain, result.data, { seq, boot_id: "items-boot", errors: result.errors });
}

async function dockerCollector(): Promise<Collector<"docker">> {
  const list = JSON.parse(await dockerFixture("telegraf-containers-list/containers.json")) as Record<
    string,
    unknown
  >[];
  const damaged = JSON.stringify(list.map((c, i) => (i === 1 ? { ...c, Ports: "x" } : c)));
  return createDockerCollector({ executor: await telegrafHost({ "/containers/json?all=1": damaged }) });
}

async function logsCollector(): Promise<Collector<"logs">> {
  await mkdir(join(root, "var/log"), { recursive: true });
  // The captured RFC 3164 file holds two lines that are not syslog lines (PROVENANCE.md).
  await writeFile(join(root, "var/log/syslog"), await logsTestdata("jc-syslog-rfc3164/syslog.txt"));
  return createLogsCollector({ executor: new LocalExecutor(), store: memoryPositionStore(), hostRoot: root });
}

function vmsCollector(): Collector<"vms"> {
  const VIRSH = "virsh --readonly -c qemu:///system";
  const vmsData = (name: string): string =>
    readFileSync(join(import.meta.dir, "../../../shared/domains/vms/agent/testcases", name), "utf8");
  // An unknown state word in db-primary's row: that row cannot be read.
  const executor = new ScriptedExecutor(
    {
      [`${VIRSH} list --all`]: () =>
        vmsData("handwritten-libvirt-host/virsh-list.txt").replace("paused", "frozen"),
      [`${VIRSH} domstats`]: () => vmsData("handwritten-libvirt-host/virsh-domstats.txt"),
    },
    { unscripted: "fails", files: {} },
  );
  return createVmsCollector({ executor });
}

async function backupsCollector(): Promise<Collector<"backups">> {
  const restic = ProbeConfigSchema.parse({
    kind: "restic",
    name: "restic-nas",
    max_age_h: 26,
    repository: "/mnt/restic",
    password_file: "/etc/infrastructor/restic.pw",
  });
  const text = await Bun.file(
    join(
      import.meta.dir,
      "../../../shared/domains/backups/agent/testcases/handwritten-restic-snapshots-0.17/restic-snapshots.json",
    ),
  ).text();
  const snapshots = JSON.parse(text) as Record<string, unknown>[];
  const damaged = JSON.stringify(snapshots.map((s, i) => (i === 0 ? { ...s, time: "yesterday" } : s)));
  const executor = new ScriptedExecutor({
    [(probeArgv(restic) ?? []).join(" ")]: { exitCode: 0, stdout: damaged },
  });
  return createBackupsCollector({ executor, probes: [restic] });
}

test("readable items become rows; the unreadable ones stay in latest_state's payload as item errors", async () => {
  const { sql } = pipeline;
  await publishEnvelopes(pipeline.js, [
    await envelopeOf(await dockerCollector(), 1),
    await envelopeOf(await logsCollector(), 2),
    await envelopeOf(vmsCollector(), 3),
    await envelopeOf(await backupsCollector(), 4),
  ]);
  await waitFor(
    "four domains in latest_state",
    async () => {
      const [row] =
        await sql`SELECT count(*)::int AS n FROM latest_state l JOIN devices d ON d.id = l.device_id
        WHERE d.hostname = ${HOST} AND l.status = 'ok'`;
      return row?.n === 4;
    },
    120_000,
  );
  const payloads = new Map(
    (
      await sql`SELECT l.domain, l.payload FROM latest_state l JOIN devices d ON d.id = l.device_id
        WHERE d.hostname = ${HOST}`
    ).map((r) => [r.domain as string, r.payload as Record<string, unknown>]),
  );
  const names = (errors: unknown): unknown =>
    (errors as { name: string | null; error: { code: string } }[] | undefined)?.map((e) => [
      e.name,
      e.error.code,
    ]);

  // docker: four containers stored, the fifth named in the payload.
  expect(names(payloads.get("docker")?.item_errors)).toEqual([["etcd2", "PARSE_FAILED"]]);
  const containers = await sql`SELECT c.name FROM docker_containers c JOIN devices d ON d.id = c.device_id
    WHERE d.hostname = ${HOST} ORDER BY c.name`;
  expect(containers.map((c) => c.name)).toEqual(["acme", "acme-test", "etcd", "foo"]);

  // logs: every line stored (the two bad ones as they are), the two named in the payload.
  const read = payloads.get("logs")?.read as { entries: unknown[]; item_errors: unknown };
  expect((names(read.item_errors) as unknown[]).length).toBe(2);
  const [logs] = await sql`SELECT count(*)::int AS n FROM logs l JOIN devices d ON d.id = l.device_id
    WHERE d.hostname = ${HOST}`;
  expect(logs?.n).toBe(read.entries.length);

  // vms: four domains stored, the one whose row did not parse named.
  const libvirt = payloads.get("vms")?.libvirt as { item_errors: unknown };
  expect(names(libvirt.item_errors)).toEqual([["db-primary", "PARSE_FAILED"]]);
  const vms = await sql`SELECT v.vm_id FROM vms v JOIN devices d ON d.id = v.device_id
    WHERE d.hostname = ${HOST} ORDER BY v.vm_id`;
  expect(vms.map((v) => v.vm_id)).toEqual(["build_runner", "old-backup", "web01", "win11.lab"]);

  // backups: the probe judged by its readable snapshot; the unreadable one named in the payload.
  const [probe] = (payloads.get("backups")?.probes ?? []) as { item_errors: unknown }[];
  expect(names(probe?.item_errors)).toEqual([["3f2a9c1d", "PARSE_FAILED"]]);
  const [stored] =
    await sql`SELECT p.status, p.item_count FROM backup_probes p JOIN devices d ON d.id = p.device_id
    WHERE d.hostname = ${HOST}`;
  expect(stored).toMatchObject({ item_count: "1" });
});
