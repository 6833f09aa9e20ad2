import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { ScriptedExecutor } from "@infrastructor/lib/testing/scripted-executor.ts";
import { VmsDataSchema } from "../schema.ts";
import { createVmsCollector, VMS_INTERVAL_MS } from "./index.ts";

const read = (name: string): string => readFileSync(join(import.meta.dir, "testcases", name), "utf8");
const VIRSH = "virsh --readonly -c qemu:///system";

describe("vms collector", () => {
  test("this machine has neither libvirt nor Proxmox: unavailable, with the reason (real LocalExecutor)", async () => {
    const collector = createVmsCollector({ executor: new LocalExecutor() });
    expect(collector.defaultIntervalMs).toBe(VMS_INTERVAL_MS);
    expect(await collector.collect()).toEqual({
      data: null,
      errors: [],
      unavailable: {
        code: "COMMAND_MISSING",
        reason: "neither virsh (libvirt) nor pvesh/qm/pct (Proxmox VE) is installed",
      },
    });
  });

  test("libvirt: cpu % from two domstats samples; only plain names reach virsh dominfo", async () => {
    let cpuNs = 12_345_600_000_000;
    const domstats = (): string =>
      read("handwritten-libvirt-host/virsh-domstats.txt").replace(
        "cpu.time=12345600000000",
        `cpu.time=${cpuNs}`,
      );
    const list = `${read("handwritten-libvirt-host/virsh-list.txt").trimEnd()}\n -    bad;name      shut off\n`;
    const executor = new ScriptedExecutor(
      {
        [`${VIRSH} list --all`]: () => list,
        [`${VIRSH} domstats`]: domstats,
        [`${VIRSH} dominfo --domain build_runner`]: () =>
          read("handwritten-libvirt-host/virsh-dominfo.shutoff.txt"),
      },
      { unscripted: "fails", files: {} },
    );
    let clock = 1_000;
    const collector = createVmsCollector({ executor, now: () => clock });
    const first = await collector.collect();
    expect(first.data?.proxmox).toBeNull();
    const vms = first.data?.libvirt?.ok ? first.data.libvirt.value : [];
    expect(vms.map((v) => [v.name, v.state])).toEqual([
      ["web01", "running"],
      ["db-primary", "paused"],
      ["win11.lab", "suspended"],
      ["build_runner", "stopped"],
      ["old-backup", "crashed"],
      ["bad;name", "stopped"],
    ]);
    expect(vms[0]).toMatchObject({ vcpus: 2, memory_bytes: 2097152 * 1024, cpu_pct: null });
    // 10 s later web01 used 5 s of CPU on its 2 vCPUs: 25 %.
    clock += 10_000;
    cpuNs += 5_000_000_000;
    const second = await collector.collect();
    const web01 = second.data?.libvirt?.ok ? second.data.libvirt.value[0] : undefined;
    expect(web01?.cpu_pct).toBe(25);
    expect(VmsDataSchema.parse(second.data)).toEqual(second.data as never);
    // Domains missing from domstats get dominfo, except the one whose name is not plain.
    const dominfo = executor.calls.filter((argv) => argv.includes("dominfo")).map((argv) => argv.at(-1));
    expect(dominfo).not.toContain("bad;name");
    expect(dominfo).toContain("db-primary");
  });

  test("Proxmox: pvesh lists the cluster, only this node's guests are kept", async () => {
    const executor = new ScriptedExecutor(
      {
        "pvesh get /cluster/resources --type vm --output-format json": () =>
          read("handwritten-proxmox-host/pvesh-resources.json"),
      },
      { unscripted: "fails", files: { "/etc/hostname": "pve1\n" } },
    );
    const { data } = await createVmsCollector({ executor }).collect();
    expect(data?.libvirt).toBeNull();
    const guests = data?.proxmox?.ok ? data.proxmox.value : [];
    expect(guests.map((g) => g.id)).toEqual(["100", "101", "200"]);
  });

  test("Proxmox without pvesh: qm list and pct list", async () => {
    const executor = new ScriptedExecutor(
      {
        "qm list": () => read("handwritten-proxmox-host/qm-list.txt"),
        "pct list": () => read("handwritten-proxmox-host/pct-list.txt"),
      },
      { unscripted: "fails", files: {} },
    );
    const { data } = await createVmsCollector({ executor }).collect();
    const guests = data?.proxmox?.ok ? data.proxmox.value : [];
    expect(guests.map((g) => `${g.type}:${g.id}`)).toEqual(["vm:100", "vm:101", "lxc:200", "lxc:201"]);
  });

  test("a failing virsh is data, not a thrown error", async () => {
    const executor = new ScriptedExecutor(
      { [`${VIRSH} domstats`]: () => "" },
      { unscripted: "fails", files: {} },
    );
    const { data } = await createVmsCollector({ executor }).collect();
    expect(data?.libvirt).toMatchObject({ ok: false, error: { code: "COMMAND_FAILED" } });
  });
});
