import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CollectResult } from "@infrastructor/lib/collect/collector.ts";
import { ScriptedExecutor } from "@infrastructor/lib/testing/scripted-executor.ts";
import { createVmsCollector } from "../index.ts";

const VIRSH = "virsh --readonly -c qemu:///system";
const testdata = (path: string): string =>
  readFileSync(join(import.meta.dir, "..", "testcases", path), "utf8");

/**
 * Test support: what the vms collector reports on a host running both libvirt and Proxmox (node
 * `pve1`), from the handwritten virsh and pvesh outputs (neither tool runs here). It is polled twice,
 * 60 s apart with 30 s of guest CPU in between, so libvirt's cpu % is set. Used by the pipeline and
 * MCP tests that need a realistic vms sample.
 */
export async function collectFixtureHost(): Promise<CollectResult<"vms">> {
  let cpuNs = 12_345_600_000_000;
  const executor = new ScriptedExecutor(
    {
      [`${VIRSH} list --all`]: () => testdata("handwritten-libvirt-host/virsh-list.txt"),
      [`${VIRSH} domstats`]: () =>
        testdata("handwritten-libvirt-host/virsh-domstats.txt").replace("12345600000000", String(cpuNs)),
      [`${VIRSH} dominfo --domain build_runner`]: () =>
        testdata("handwritten-libvirt-host/virsh-dominfo.shutoff.txt"),
      "pvesh get /cluster/resources --type vm --output-format json": () =>
        testdata("handwritten-proxmox-host/pvesh-resources.json"),
    },
    { unscripted: "fails", files: { "/etc/hostname": "pve1\n" } },
  );
  let clock = 0;
  const vms = createVmsCollector({ executor, now: () => clock });
  await vms.collect();
  clock = 60_000;
  cpuNs += 30_000_000_000;
  return vms.collect();
}
