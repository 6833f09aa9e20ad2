import { describe, expect, test } from "bun:test";
import { parseScan } from "./parse-scan.ts";
import { testdata } from "./testing/captures.ts";

describe("parseScan", () => {
  test("beszel's --scan -j capture (smartctl 7.5)", () => {
    expect(parseScan(testdata("beszel-scan/scan.json"))).toEqual({
      version: "7.5",
      devices: [
        { device: "/dev/sda", type: "sat", open_error: null },
        { device: "/dev/nvme0", type: "nvme", open_error: null },
      ],
      errors: [],
    });
  });

  test("this machine's smartctl 7.3 finds nothing: no `devices` key at all", () => {
    expect(parseScan(testdata("local-smartctl7.3-debian12-vm/scan.json"))).toEqual({
      version: "7.3",
      devices: [],
      errors: [],
    });
  });

  test("a device --scan-open could not open keeps smartctl's reason", () => {
    expect(parseScan(testdata("handwritten-scan-open-permission-denied/scan.json")).devices).toEqual([
      { device: "/dev/sda", type: "scsi", open_error: "Permission denied" },
    ]);
  });

  test("the text form (smartmontools < 7), commented-out failures included", () => {
    expect(parseScan(testdata("handwritten-scan-open-text/scan.txt"))).toEqual({
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
      errors: [],
    });
    expect(parseScan("")).toEqual({ version: null, devices: [], errors: [] });
  });

  test("an unreadable line is its own item error naming the line; the other devices are listed", () => {
    const scan = parseScan("/dev/sda -d sat # ok\nsomething else\n/dev/sdb -d sat # ok\n");
    expect(scan.devices.map((d) => d.device)).toEqual(["/dev/sda", "/dev/sdb"]);
    expect(scan.errors).toEqual([
      {
        name: null,
        error: {
          code: "PARSE_FAILED",
          message: "smartctl --scan-open: not a `DEVICE -d TYPE # INFO` line (line 2)",
          line: 2,
          excerpt: "something else",
        },
      },
    ]);
  });

  test("an unreadable JSON entry is its own item error; a cut-off scan is refused whole", () => {
    const scan = parseScan(
      '{"smartctl": {}, "devices": [{"name": 1}, {"name": "/dev/sdq"}, {"name": "/dev/sda", "type": "sat"}]}',
    );
    expect(scan.devices).toEqual([{ device: "/dev/sda", type: "sat", open_error: null }]);
    expect(scan.errors.map((e) => [e.name, e.error.code, e.error.message])).toEqual([
      [
        null,
        "PARSE_FAILED",
        "smartctl --scan-open: devices entry: name: Invalid input: expected string, received number",
      ],
      [
        "/dev/sdq",
        "PARSE_FAILED",
        "smartctl --scan-open: devices entry: type: Invalid input: expected string, received undefined",
      ],
    ]);
    expect(() => parseScan('{"smartctl": {}, "devices": [')).toThrow(/truncated/);
  });
});
