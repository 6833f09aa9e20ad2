import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { parseCpuinfo } from "./parse-cpuinfo.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testcases", name)).text();

describe("parseCpuinfo", () => {
  test("x86 VM captured on this machine: model, 2 logical = 2 physical cores, 1 socket, hypervisor flag", async () => {
    expect(parseCpuinfo(await fixture("local-dev-vm/proc-cpuinfo.txt"))).toEqual({
      model: "AMD EPYC",
      logical_cores: 2,
      physical_cores: 2,
      sockets: 1,
      hypervisor_flag: true,
    });
  });

  test("arm64 board (handwritten, kernel arch/arm64 format): the board's Model, no topology", async () => {
    expect(parseCpuinfo(await fixture("handwritten-proc-cpuinfo-arm64-rpi4/proc-cpuinfo.txt"))).toEqual({
      model: "Raspberry Pi 4 Model B Rev 1.4",
      logical_cores: 4,
      physical_cores: null,
      sockets: null,
      hypervisor_flag: false,
    });
  });

  test("truncated mid-line: PARSE_FAILED naming the line", async () => {
    const text = (await fixture("local-dev-vm/proc-cpuinfo.txt")).split("\n").slice(0, 5).join("\n");
    const cut = `${text}\nmodel na`;
    expect(() => parseCpuinfo(cut)).toThrow(
      expect.objectContaining({
        code: ErrorCode.PARSE_FAILED,
        details: expect.objectContaining({ line: 6 }),
      }),
    );
  });

  test.each([
    ["empty", ""],
    ["no processor", "model name\t: X\n"],
    ["bad processor", "processor\t: x\n"],
  ])("garbage (%s) is PARSE_FAILED", (_, text) => {
    expect(() => parseCpuinfo(text)).toThrow(expect.objectContaining({ code: ErrorCode.PARSE_FAILED }));
  });
});
