import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { parseVirshDominfo, parseVirshDomstats, parseVirshList } from "./parse-virsh.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testcases", name)).text();
const parseFailedAt = (line: number): unknown =>
  expect.objectContaining({ code: ErrorCode.PARSE_FAILED, details: expect.objectContaining({ line }) });

describe("parseVirshList (handwritten from virsh(1))", () => {
  test("running, paused, suspended, shut off and crashed domains", async () => {
    expect(parseVirshList(await fixture("handwritten-libvirt-host/virsh-list.txt")).items).toEqual([
      { domain_id: 1, name: "web01", state: "running" },
      { domain_id: 3, name: "db-primary", state: "paused" },
      { domain_id: 7, name: "win11.lab", state: "pmsuspended" },
      { domain_id: null, name: "build_runner", state: "shut off" },
      { domain_id: null, name: "old-backup", state: "crashed" },
    ]);
  });
  test("no domain", async () => {
    expect(parseVirshList(await fixture("handwritten-virsh-list-empty/virsh-list.txt"))).toEqual({
      items: [],
      errors: [],
    });
  });
  test("an unknown state or a cut row is an item error naming its domain and line", async () => {
    const text = await fixture("handwritten-libvirt-host/virsh-list.txt");
    const frozen = parseVirshList(text.replace("paused", "frozen"));
    expect(frozen.items.map((d) => d.name)).toEqual(["web01", "win11.lab", "build_runner", "old-backup"]);
    expect(frozen.errors).toEqual([
      {
        name: "db-primary",
        error: {
          code: ErrorCode.PARSE_FAILED,
          message: "virsh list: row is not `Id Name State` (line 4)",
          line: 4,
          excerpt: " 3    db-primary        frozen",
        },
      },
    ]);
    const cut = parseVirshList(`${text.trimEnd()}\n 9    half`);
    expect(cut.items).toHaveLength(5);
    expect(cut.errors).toMatchObject([{ name: "half", error: { line: 8 } }]);
  });
  test("no header (virsh printed an error instead) is PARSE_FAILED for the whole listing", () => {
    expect(() => parseVirshList("error: failed to connect to the hypervisor\n")).toThrow(
      parseFailedAt(1) as Error,
    );
  });
});

describe("parseVirshDominfo (handwritten from virsh(1))", () => {
  test("a running domain: vCPUs, memory in bytes, CPU time", async () => {
    expect(parseVirshDominfo(await fixture("handwritten-libvirt-host/virsh-dominfo.running.txt"))).toEqual({
      name: "web01",
      state: "running",
      vcpus: 2,
      memory_max_bytes: 4194304 * 1024,
      memory_bytes: 2097152 * 1024,
      cpu_time_s: 12345.6,
    });
  });
  test("a shut off domain has no CPU time", async () => {
    const info = parseVirshDominfo(await fixture("handwritten-libvirt-host/virsh-dominfo.shutoff.txt"));
    expect(info).toMatchObject({ state: "shut off", vcpus: 4, cpu_time_s: null });
  });
  test("garbage is PARSE_FAILED", async () => {
    const text = await fixture("handwritten-libvirt-host/virsh-dominfo.running.txt");
    expect(() => parseVirshDominfo(text.replace("4194304 KiB", "4 GiB"))).toThrow(parseFailedAt(8) as Error);
    expect(() => parseVirshDominfo("no colon here\n")).toThrow(parseFailedAt(1) as Error);
  });
});

describe("parseVirshDomstats (handwritten from virsh(1) domstats)", () => {
  test("state, cpu.time, balloon and vcpu of each domain", async () => {
    expect(parseVirshDomstats(await fixture("handwritten-libvirt-host/virsh-domstats.txt")).items).toEqual([
      {
        name: "web01",
        state: 1,
        cpu_time_ns: 12345600000000,
        balloon_current_bytes: 2097152 * 1024,
        balloon_maximum_bytes: 4194304 * 1024,
        vcpus: 2,
      },
      {
        name: "build_runner",
        state: 5,
        cpu_time_ns: null,
        balloon_current_bytes: 8388608 * 1024,
        balloon_maximum_bytes: 8388608 * 1024,
        vcpus: 4,
      },
    ]);
  });
  test("a stat before any Domain line, or a non-number, is an item error naming the line", () => {
    expect(parseVirshDomstats("  cpu.time=1\n").errors).toMatchObject([{ name: null, error: { line: 1 } }]);
    const parsed = parseVirshDomstats("Domain: 'a'\n  cpu.time=x\n\nDomain: 'b'\n  cpu.time=5\n");
    expect(parsed.items).toMatchObject([{ name: "b", cpu_time_ns: 5 }]);
    expect(parsed.errors).toMatchObject([
      { name: "a", error: { code: ErrorCode.PARSE_FAILED, line: 2, excerpt: "  cpu.time=x" } },
    ]);
  });
  test("a block whose Domain line is damaged never lends its stats to the block before", async () => {
    const text = (await fixture("handwritten-libvirt-host/virsh-domstats.txt")).replace(
      "Domain: 'build_runner'",
      "Domain:",
    );
    const parsed = parseVirshDomstats(text);
    expect(parsed.items.map((d) => [d.name, d.vcpus])).toEqual([["web01", 2]]);
    expect(parsed.errors).toMatchObject([{ name: null, error: { excerpt: "Domain:" } }]);
  });
});
