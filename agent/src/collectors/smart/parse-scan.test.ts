import { describe, expect, test } from "bun:test";
import { AppError } from "@infrastructor/shared/errors.ts";
import { parseScan } from "./parse-scan.ts";
import { testdata } from "./testdata.ts";

describe("parseScan", () => {
  test("beszel's --scan -j capture (smartctl 7.5)", () => {
    expect(parseScan(testdata("beszel__scan.json"))).toEqual({
      version: "7.5",
      devices: [
        { device: "/dev/sda", type: "sat", open_error: null },
        { device: "/dev/nvme0", type: "nvme", open_error: null },
      ],
    });
  });

  test("this machine's smartctl 7.3 finds nothing: no `devices` key at all", () => {
    expect(parseScan(testdata("local__smartctl7.3_scan_open_no_devices.json"))).toEqual({
      version: "7.3",
      devices: [],
    });
  });

  test("a device --scan-open could not open keeps smartctl's reason", () => {
    expect(parseScan(testdata("handwritten__scan_open_permission_denied.json")).devices).toEqual([
      { device: "/dev/sda", type: "scsi", open_error: "Permission denied" },
    ]);
  });

  test("the text form (smartmontools < 7), commented-out failures included", () => {
    expect(parseScan(testdata("handwritten__scan_open_text.txt"))).toEqual({
      version: null,
      devices: [
        { device: "/dev/sda", type: "sat", open_error: null },
        { device: "/dev/sdb", type: "sat", open_error: null },
        { device: "/dev/bus/0", type: "megaraid,0", open_error: null },
        { device: "/dev/nvme0", type: "nvme", open_error: null },
        {
          device: "/dev/sdc",
          type: "scsi",
          open_error: "/dev/sdc, SCSI device open failed: Permission denied",
        },
      ],
    });
    expect(parseScan("")).toEqual({ version: null, devices: [] });
  });

  test("anything else names its line", () => {
    let caught: unknown;
    try {
      parseScan("/dev/sda -d sat # ok\nsomething else\n");
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).details).toMatchObject({ line: 2, excerpt: "something else" });
    expect(() => parseScan('{"smartctl": {}, "devices": [{"name": 1}]}')).toThrow(/devices/);
    expect(() => parseScan('{"smartctl": {}, "devices": [')).toThrow(/truncated/);
  });
});
