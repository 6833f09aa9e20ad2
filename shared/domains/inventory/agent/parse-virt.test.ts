import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { parseBtime } from "./parse-btime.ts";
import { parseOneToken } from "./parse-token.ts";
import { classifyVirt, parseDetectVirt } from "./parse-virt.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testcases", name)).text();

describe("parseDetectVirt", () => {
  test("this machine's output (docker) is a container", async () => {
    expect(parseDetectVirt(await fixture("local-dev-vm/systemd-detect-virt.txt"))).toEqual({
      kind: "container",
      technology: "docker",
      method: "systemd-detect-virt",
    });
  });
  test("`none` (exit 1) is bare metal; kvm is a VM", async () => {
    expect(
      parseDetectVirt(await fixture("handwritten-systemd-detect-virt-none/systemd-detect-virt.txt")).kind,
    ).toBe("none");
    expect(parseDetectVirt("kvm\n")).toEqual({
      kind: "vm",
      technology: "kvm",
      method: "systemd-detect-virt",
    });
  });
  test("two lines or garbage is PARSE_FAILED", () => {
    expect(() => parseDetectVirt("kvm\nqemu\n")).toThrow(
      expect.objectContaining({ code: ErrorCode.PARSE_FAILED }),
    );
  });
});

describe("classifyVirt", () => {
  test("DMI names the hypervisor", () => {
    expect(classifyVirt({ vendor: "QEMU\n", product: "Standard PC (Q35 + ICH9, 2009)\n" }, true)).toEqual({
      kind: "vm",
      technology: "qemu",
      method: "dmi",
    });
    expect(
      classifyVirt({ vendor: "Microsoft Corporation", product: "Virtual Machine" }, false).technology,
    ).toBe("microsoft");
  });
  test("no DMI: the hypervisor flag says VM; without either it is unknown", () => {
    expect(classifyVirt(null, true)).toEqual({ kind: "vm", technology: null, method: "cpuinfo" });
    expect(classifyVirt(null, null)).toEqual({ kind: "unknown", technology: null, method: "none" });
  });
  test("a hardware vendor and no flag is bare metal", () => {
    expect(classifyVirt({ vendor: "Dell Inc.", product: "PowerEdge R730" }, false).kind).toBe("none");
  });
});

describe("parseBtime and parseOneToken", () => {
  test("btime of /proc/stat (node_exporter capture), refused from a stat that lies", async () => {
    const stat = await Bun.file(
      join(import.meta.dir, "../../system/agent/testcases/node-exporter-proc/proc-stat.txt"),
    ).text();
    expect(parseBtime(stat)).toBe("2014-12-10T03:47:56.000Z");
    expect(() => parseBtime("cpu 1 2 3\n")).toThrow(
      expect.objectContaining({ code: ErrorCode.PARSE_FAILED }),
    );
    expect(() => parseBtime(stat.replace(/^btime .*$/m, "btime x"))).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ line: 12 }) }),
    );
    // Two dumps run together: the second btime is not trusted, nor is the first.
    expect(() => parseBtime(stat + stat)).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ line: 17 }) }),
    );
  });
  test("one token", () => {
    expect(parseOneToken("kernel", "6.1.0-13-amd64\n")).toBe("6.1.0-13-amd64");
    expect(() => parseOneToken("kernel", "a b\n")).toThrow(
      expect.objectContaining({ code: ErrorCode.PARSE_FAILED }),
    );
  });
});
