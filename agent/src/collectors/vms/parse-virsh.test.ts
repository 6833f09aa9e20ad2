import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { parseVirshDominfo, parseVirshDomstats, parseVirshList } from "./parse-virsh.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testdata", name)).text();
const parseFailedAt = (line: number): unknown =>
  expect.objectContaining({ code: ErrorCode.PARSE_FAILED, details: expect.objectContaining({ line }) });

describe("parseVirshList (handwritten from virsh(1))", () => {
  test("running, paused, suspended, shut off and crashed domains", async () => {
    expect(parseVirshList(await fixture("handwritten__virsh_list_all.txt"))).toEqual([
      { domain_id: 1, name: "web01", state: "running" },
      { domain_id: 3, name: "db-primary", state: "paused" },
      { domain_id: 7, name: "win11.lab", state: "pmsuspended" },
      { domain_id: null, name: "build_runner", state: "shut off" },
      { domain_id: null, name: "old-backup", state: "crashed" },
    ]);
  });
  test("no domain", async () => {
    expect(parseVirshList(await fixture("handwritten__virsh_list_all_empty.txt"))).toEqual([]);
  });
  test("an unknown state or a cut row is PARSE_FAILED naming the line", async () => {
    const text = await fixture("handwritten__virsh_list_all.txt");
    expect(() => parseVirshList(text.replace("paused", "frozen"))).toThrow(parseFailedAt(4) as Error);
    expect(() => parseVirshList(`${text.trimEnd()}\n 9    half`)).toThrow(parseFailedAt(8) as Error);
    expect(() => parseVirshList("error: failed to connect to the hypervisor\n")).toThrow(
      parseFailedAt(1) as Error,
    );
  });
});

describe("parseVirshDominfo (handwritten from virsh(1))", () => {
  test("a running domain: vCPUs, memory in bytes, CPU time", async () => {
    expect(parseVirshDominfo(await fixture("handwritten__virsh_dominfo_running.txt"))).toEqual({
      name: "web01",
      state: "running",
      vcpus: 2,
      memory_max_bytes: 4194304 * 1024,
      memory_bytes: 2097152 * 1024,
      cpu_time_s: 12345.6,
    });
  });
  test("a shut off domain has no CPU time", async () => {
    const info = parseVirshDominfo(await fixture("handwritten__virsh_dominfo_shutoff.txt"));
    expect(info).toMatchObject({ state: "shut off", vcpus: 4, cpu_time_s: null });
  });
  test("garbage is PARSE_FAILED", async () => {
    const text = await fixture("handwritten__virsh_dominfo_running.txt");
    expect(() => parseVirshDominfo(text.replace("4194304 KiB", "4 GiB"))).toThrow(parseFailedAt(8) as Error);
    expect(() => parseVirshDominfo("no colon here\n")).toThrow(parseFailedAt(1) as Error);
  });
});

describe("parseVirshDomstats (handwritten from virsh(1) domstats)", () => {
  test("state, cpu.time, balloon and vcpu of each domain", async () => {
    expect(parseVirshDomstats(await fixture("handwritten__virsh_domstats.txt"))).toEqual([
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
  test("a stat before any Domain line, or a non-number, is PARSE_FAILED naming the line", () => {
    expect(() => parseVirshDomstats("  cpu.time=1\n")).toThrow(parseFailedAt(1) as Error);
    expect(() => parseVirshDomstats("Domain: 'a'\n  cpu.time=x\n")).toThrow(parseFailedAt(2) as Error);
  });
});
