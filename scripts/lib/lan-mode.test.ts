import { describe, expect, test } from "bun:test";
import { parseUpArgs } from "./lan-mode.ts";

describe("bun run up [--listen ADDRESS]", () => {
  test("no argument: this machine only; --listen takes one IP address, in either form", () => {
    expect(parseUpArgs([])).toEqual({ listen: null });
    expect(parseUpArgs(["--listen", "192.168.1.10"])).toEqual({ listen: "192.168.1.10" });
    expect(parseUpArgs(["--listen=fd00::5"])).toEqual({ listen: "fd00::5" });
  });

  test("anything else is refused with the usage: names, wildcard addresses, extra words", () => {
    for (const argv of [
      ["--listen"],
      ["--listen", "hub.lan"],
      ["--listen", "0.0.0.0"],
      ["--listen", "::"],
      ["--listen", "10.0.0.1", "extra"],
      ["--listen=10.0.0.1", "extra"],
      ["--lis", "10.0.0.1"],
      ["10.0.0.1"],
    ]) {
      expect(() => parseUpArgs(argv)).toThrow(/--listen|usage/);
    }
  });
});
