import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { parsePctList, parsePveshResources, parseQmList } from "./parse-proxmox.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testcases", name)).text();

describe("parsePveshResources (handwritten from the PVE API /cluster/resources)", () => {
  test("VMs and containers of every node, templates skipped; cpu is a fraction of maxcpu", async () => {
    const { items: vms, errors } = parsePveshResources(
      await fixture("handwritten-proxmox-host/pvesh-resources.json"),
    );
    expect(errors).toEqual([]);
    expect(vms.map((v) => `${v.node}/${v.id}`)).toEqual(["pve1/100", "pve1/101", "pve1/200", "pve2/300"]);
    expect(vms[0]).toEqual({
      id: "100",
      name: "homeassistant",
      type: "vm",
      state: "running",
      state_detail: "running",
      vcpus: 4,
      memory_bytes: 3221225472,
      memory_max_bytes: 8589934592,
      uptime_s: 864000,
      cpu_pct: 5.23,
      node: "pve1",
    });
    expect(vms[1]).toMatchObject({ state: "stopped", memory_bytes: null, uptime_s: null, cpu_pct: null });
    expect(vms[2]).toMatchObject({ type: "lxc", name: "pihole", cpu_pct: 1.25 });
  });
  test("truncated JSON is PARSE_FAILED", async () => {
    const text = (await fixture("handwritten-proxmox-host/pvesh-resources.json")).slice(0, 200);
    expect(() => parsePveshResources(text)).toThrow(
      expect.objectContaining({ code: ErrorCode.PARSE_FAILED }),
    );
  });
});

describe("parseQmList and parsePctList (handwritten from qm(1) and pct(1))", () => {
  test("qm list: VMs with their configured memory", async () => {
    expect(parseQmList(await fixture("handwritten-proxmox-host/qm-list.txt")).items).toEqual([
      expect.objectContaining({
        id: "100",
        name: "homeassistant",
        type: "vm",
        state: "running",
        memory_max_bytes: 8192 * 1048576,
      }),
      expect.objectContaining({ id: "101", name: "win-test", state: "stopped" }),
    ]);
  });
  test("pct list: containers, with and without a lock", async () => {
    expect(parsePctList(await fixture("handwritten-proxmox-host/pct-list.txt")).items).toEqual([
      expect.objectContaining({ id: "200", name: "pihole", type: "lxc", state: "running" }),
      expect.objectContaining({
        id: "201",
        name: "unifi",
        type: "lxc",
        state: "stopped",
        state_detail: "stopped",
      }),
    ]);
  });
  test("no guests prints nothing", () => {
    expect(parseQmList("")).toEqual({ items: [], errors: [] });
    expect(parsePctList("\n")).toEqual({ items: [], errors: [] });
  });
  test("a missing header is PARSE_FAILED naming the line", () => {
    expect(() => parseQmList("100 web running\n")).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ line: 1 }) }),
    );
  });
  test("a cut row is an item error naming its VMID and line; the rows around it are read", async () => {
    const text = (await fixture("handwritten-proxmox-host/qm-list.txt")).replace(
      /\n(\s+101 .*)\n/,
      "\n 150 web\n$1\n",
    );
    const parsed = parseQmList(text);
    expect(parsed.items.map((v) => v.id)).toEqual(["100", "101"]);
    expect(parsed.errors).toEqual([
      {
        name: "150",
        error: {
          code: ErrorCode.PARSE_FAILED,
          message: "qm list: row is not `VMID NAME STATUS MEM(MB) BOOTDISK(GB) PID` (line 3)",
          line: 3,
          excerpt: " 150 web",
        },
      },
    ]);
  });
  test("pvesh: an entry of the wrong type is an item error named by its name; the others are read", async () => {
    const all = JSON.parse(await fixture("handwritten-proxmox-host/pvesh-resources.json")) as Record<
      string,
      unknown
    >[];
    const damaged = all.map((e) => (e.vmid === 101 ? { ...e, maxmem: "2G" } : e));
    const parsed = parsePveshResources(JSON.stringify(damaged));
    expect(parsed.items.map((v) => v.id)).toEqual(["100", "200", "300"]);
    expect(parsed.errors).toMatchObject([
      {
        name: "win-test",
        error: { code: ErrorCode.PARSE_FAILED, message: expect.stringContaining("[1].maxmem") },
      },
    ]);
  });
});
