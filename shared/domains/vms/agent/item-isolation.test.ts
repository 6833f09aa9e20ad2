import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  expectItemIsolation,
  type ItemSegments,
  splitLines,
} from "@infrastructor/lib/testing/item-isolation.ts";
import { jsonElementDamages, splitJsonArray } from "@infrastructor/lib/testing/json-array-items.ts";
import { ScriptedExecutor } from "@infrastructor/lib/testing/scripted-executor.ts";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { VmsDataSchema } from "../schema.ts";
import { createVmsCollector } from "./index.ts";
import { parsePctList, parsePveshResources, parseQmList } from "./parse-proxmox.ts";
import { parseVirshDomstats, parseVirshList } from "./parse-virsh.ts";

const read = (name: string): string => readFileSync(join(import.meta.dir, "testcases", name), "utf8");
const VIRSH = "virsh --readonly -c qemu:///system";

/** `virsh domstats` blocks, separated by their blank line. */
function splitBlocks(text: string): ItemSegments {
  const body = text.replace(/\n+$/, "");
  return { prefix: "", items: body.split("\n\n"), separator: "\n\n", suffix: text.slice(body.length) };
}

describe("one unreadable guest never changes the others (every capture in testcases/)", () => {
  test.each([
    [
      "handwritten-libvirt-host/virsh-list.txt",
      parseVirshList,
      splitLines(2),
      (d: { name: string }) => d.name,
    ],
    [
      "handwritten-libvirt-host/virsh-domstats.txt",
      parseVirshDomstats,
      splitBlocks,
      (d: { name: string }) => d.name,
    ],
    ["handwritten-proxmox-host/qm-list.txt", parseQmList, splitLines(1), (v: { id: string }) => v.id],
    ["handwritten-proxmox-host/pct-list.txt", parsePctList, splitLines(1), (v: { id: string }) => v.id],
  ] as const)("%s", (name, parse, split, key) => {
    const checked = expectItemIsolation({
      label: name,
      text: read(name),
      split,
      parse: parse as (text: string) => ReturnType<typeof parseVirshList>,
      key: key as (item: unknown) => string,
    });
    expect(checked).toBeGreaterThan(0);
  });

  test("handwritten-proxmox-host/pvesh-resources.json", () => {
    const checked = expectItemIsolation({
      label: "pvesh",
      text: read("handwritten-proxmox-host/pvesh-resources.json"),
      split: splitJsonArray(),
      parse: parsePveshResources,
      key: (v) => v.id,
      damages: jsonElementDamages(["vmid", "x"], ["maxmem", "2G"], ["type", 5], ["name", []]),
    });
    expect(checked).toBeGreaterThan(0);
  });

  test("an empty listing has no guests and no errors", () => {
    expect(parseVirshList(read("handwritten-virsh-list-empty/virsh-list.txt"))).toEqual({
      items: [],
      errors: [],
    });
  });
});

describe("the vms collector reports every domain it could list", () => {
  const host = (
    dominfo: string,
    domstats = read("handwritten-libvirt-host/virsh-domstats.txt"),
  ): ScriptedExecutor =>
    new ScriptedExecutor(
      {
        [`${VIRSH} list --all`]: () => read("handwritten-libvirt-host/virsh-list.txt"),
        [`${VIRSH} domstats`]: () => domstats,
        [`${VIRSH} dominfo --domain db-primary`]: () => dominfo,
        [`${VIRSH} dominfo --domain win11.lab`]: () =>
          read("handwritten-libvirt-host/virsh-dominfo.running.txt"),
        [`${VIRSH} dominfo --domain old-backup`]: () =>
          read("handwritten-libvirt-host/virsh-dominfo.shutoff.txt"),
      },
      { unscripted: "fails", files: {} },
    );
  const libvirt = async (executor: ScriptedExecutor) => {
    const { data, errors } = await createVmsCollector({ executor }).collect();
    expect(errors).toEqual([]);
    const parsed = VmsDataSchema.parse(data);
    if (!parsed.libvirt?.ok) throw new Error(`libvirt failed: ${JSON.stringify(parsed.libvirt)}`);
    return parsed.libvirt;
  };

  test("one domain's dominfo garbled: that domain from the list alone plus an item error, the rest as before", async () => {
    const good = await libvirt(host(read("handwritten-libvirt-host/virsh-dominfo.running.txt")));
    const bad = await libvirt(host("Name:   db-primary\nCPU(s):   lots\n"));
    expect(bad.value.filter((v) => v.name !== "db-primary")).toEqual(
      good.value.filter((v) => v.name !== "db-primary"),
    );
    expect(bad.value.find((v) => v.name === "db-primary")).toMatchObject({
      state: "paused",
      vcpus: null,
      memory_max_bytes: null,
    });
    expect(bad.item_errors).toEqual([
      {
        name: "db-primary",
        error: expect.objectContaining({
          code: ErrorCode.PARSE_FAILED,
          message: expect.stringContaining("CPU(s)"),
        }),
      },
    ]);
    expect(good.item_errors).toBeUndefined();
  });

  test("one domstats block garbled: the other domain keeps its figures", async () => {
    const dominfo = read("handwritten-libvirt-host/virsh-dominfo.running.txt");
    const good = await libvirt(host(dominfo));
    const domstats = read("handwritten-libvirt-host/virsh-domstats.txt").replace(
      "balloon.maximum=8388608",
      "balloon.maximum=8G",
    );
    const bad = await libvirt(host(dominfo, domstats));
    expect(bad.value.find((v) => v.name === "web01")).toEqual(good.value.find((v) => v.name === "web01"));
    expect(bad.value.map((v) => v.name)).toEqual(good.value.map((v) => v.name));
    expect(bad.item_errors).toMatchObject([
      { name: "build_runner", error: { code: ErrorCode.PARSE_FAILED } },
    ]);
  });

  test("a guest the schema refuses is an item error, not the end of the sample", async () => {
    const executor = new ScriptedExecutor(
      {
        "pvesh get /cluster/resources --type vm --output-format json": () =>
          read("handwritten-proxmox-host/pvesh-resources.json").replace(
            '"maxcpu":4',
            '"maxcpu":4000000000000',
          ),
      },
      { unscripted: "fails", files: { "/etc/hostname": "pve1\n" } },
    );
    const { data, errors } = await createVmsCollector({ executor }).collect();
    expect(errors).toEqual([]);
    const proxmox = VmsDataSchema.parse(data).proxmox;
    expect(proxmox?.ok && proxmox.value.map((g) => g.id)).toEqual(["101", "200"]);
    expect(proxmox?.ok && proxmox.item_errors).toMatchObject([
      {
        name: "homeassistant",
        error: { code: ErrorCode.INVALID_MESSAGE, message: expect.stringContaining("vcpus") },
      },
    ]);
  });
});
