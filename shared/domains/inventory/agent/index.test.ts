import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { InventoryDataSchema } from "../schema.ts";
import { createInventoryCollector, INVENTORY_INTERVAL_MS } from "./index.ts";

const executor = new LocalExecutor();
const testcase = (path: string): string => join(import.meta.dir, "testcases", path);
/** telegraf's /proc/meminfo: the fake root needs one, no inventory parser reads it (testdata/). */
const testdata = (name: string): string => join(import.meta.dir, "testdata", name);
let dir: string;

/** A fake /proc and /etc from the captures, so every value is known. */
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "inventory-collector-"));
  await mkdir(join(dir, "proc/sys/kernel"), { recursive: true });
  await mkdir(join(dir, "etc"));
  await cp(testcase("handwritten-proc-cpuinfo-arm64-rpi4/proc-cpuinfo.txt"), join(dir, "proc/cpuinfo"));
  await cp(testdata("telegraf__proc_meminfo.txt"), join(dir, "proc/meminfo"));
  await cp(testcase("handwritten-os-release-quoting/os-release.txt"), join(dir, "etc/os-release"));
  await writeFile(join(dir, "proc/sys/kernel/osrelease"), "6.6.31+rpt-rpi-v8\n");
  await cp(
    join(import.meta.dir, "../../system/agent/testcases/node-exporter-proc/proc-stat.txt"),
    join(dir, "proc/stat"),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("inventory collector", () => {
  test("reads every source through the executor", async () => {
    const collector = createInventoryCollector({
      executor,
      agentVersion: "9.9.9",
      procRoot: join(dir, "proc"),
      sysRoot: join(dir, "sys"),
      osReleasePaths: [join(dir, "etc/os-release")],
    });
    expect(collector.defaultIntervalMs).toBe(INVENTORY_INTERVAL_MS);
    const { data, errors } = await collector.collect();
    expect(errors).toEqual([]);
    expect(data).toMatchObject({
      os: { id: "fedora", version_id: "39" },
      kernel: "6.6.31+rpt-rpi-v8",
      cpu: { model: "Raspberry Pi 4 Model B Rev 1.4", logical_cores: 4 },
      memory_total_bytes: 16201888 * 1024,
      boot_time: "2014-12-10T03:47:56.000Z",
      agent_version: "9.9.9",
    });
    // uname and systemd-detect-virt ran for real on this machine.
    expect(data?.arch).toMatch(/^[a-z0-9_]+$/);
    expect(data?.virtualization.kind).toBeOneOf(["none", "vm", "container", "unknown"]);
  });

  test("a missing file is an error naming its source; the rest is still reported", async () => {
    const collector = createInventoryCollector({
      executor,
      agentVersion: "9.9.9",
      procRoot: join(dir, "proc"),
      osReleasePaths: [join(dir, "etc/none"), join(dir, "usr/lib/none")],
    });
    const { data, errors } = await collector.collect();
    expect(data?.os).toBeNull();
    expect(data?.kernel).toBe("6.6.31+rpt-rpi-v8");
    expect(errors).toEqual([expect.objectContaining({ code: "NOT_FOUND", source: "os-release" })]);
  });

  test("this machine, real /proc and /etc: a valid sample", async () => {
    const { data, errors } = await createInventoryCollector({ executor, agentVersion: "9.9.9" }).collect();
    expect(errors).toEqual([]);
    expect(InventoryDataSchema.parse(data)).toEqual(data as never);
    expect(data?.cpu?.logical_cores).toBeGreaterThan(0);
    expect(data?.memory_total_bytes).toBeGreaterThan(0);
  });

  test("a /proc/cpuinfo of two dumps run together: cpu is null, an item error names the line; the rest is read", async () => {
    const cpuinfo = await Bun.file(testcase("local-dev-vm/proc-cpuinfo.txt")).text();
    const proc = join(dir, "proc-doubled");
    await cp(join(dir, "proc"), proc, { recursive: true });
    await writeFile(join(proc, "cpuinfo"), cpuinfo + cpuinfo);
    const collector = createInventoryCollector({
      executor,
      agentVersion: "9.9.9",
      procRoot: proc,
      osReleasePaths: [join(dir, "etc/os-release")],
    });
    const { data, errors } = await collector.collect();
    expect(data?.cpu).toBeNull();
    expect(data?.memory_total_bytes).toBe(16201888 * 1024);
    const line = cpuinfo.split("\n").length; // the second `processor : 0`
    expect(data?.item_errors).toEqual([
      {
        name: "cpu",
        error: expect.objectContaining({ code: "PARSE_FAILED", line, excerpt: "processor\t: 0" }),
      },
    ]);
    expect(errors).toEqual([expect.objectContaining({ source: "proc/cpuinfo", code: "PARSE_FAILED" })]);
    expect(InventoryDataSchema.parse(data)).toEqual(data as never);
  });
});
