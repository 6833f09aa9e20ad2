import { describe, expect, test } from "bun:test";
import { checkDeviceRef, isValidDevice, isValidType } from "./device-ref.ts";

describe("device paths", () => {
  test("accepts disks, NVMe, RAID buses and by-id links", () => {
    for (const d of [
      "/dev/sda",
      "/dev/sdaa",
      "/dev/vda",
      "/dev/nvme0",
      "/dev/nvme0n1",
      "/dev/sg3",
      "/dev/bus/0",
      "/dev/disk/by-id/ata-WDC_WD20EFRX-68EUZN0_WD-WCC4M1234567",
      "/dev/disk/by-id/nvme-eui.0025385b71b07a4c",
    ]) {
      expect([d, isValidDevice(d)]).toEqual([d, true]);
    }
  });

  test("refuses options, traversal, partitions, shell syntax and other files", () => {
    for (const d of [
      "-a",
      "--scan",
      "sda",
      "/dev/sda1",
      "/dev/../etc/shadow",
      "/dev/disk/by-id/../../sda",
      "/dev/disk/by-id/a/b",
      "/dev/sda; rm -rf /",
      "/dev/sda ",
      "/dev/nvme0n1p1",
      "/etc/passwd",
      "/dev/disk/by-id/..",
    ]) {
      expect([d, isValidDevice(d)]).toEqual([d, false]);
    }
  });
});

describe("-d types", () => {
  test("accepts smartctl's types", () => {
    for (const t of [
      "sat",
      "nvme",
      "scsi",
      "ata",
      "auto",
      "usbjmicron",
      "megaraid,0",
      "sat+megaraid,12",
      "areca,1/2",
      "sat,12",
      "sat,auto",
      "3ware,1",
    ]) {
      expect([t, isValidType(t)]).toEqual([t, true]);
    }
  });

  test("refuses anything else", () => {
    for (const t of ["", "-a", "sat megaraid", "sat;ls", "SAT", "megaraid,", "sat,../x", "a".repeat(40)]) {
      expect([t, isValidType(t)]).toEqual([t, false]);
    }
  });
});

test("checkDeviceRef throws INVALID_ARGUMENT naming the bad value", () => {
  expect(() => checkDeviceRef({ device: "/dev/sda;id", type: "sat" })).toThrow(/not a disk device path/);
  expect(() => checkDeviceRef({ device: "/dev/sda", type: "-x" })).toThrow(/not a smartctl -d type/);
  expect(checkDeviceRef({ device: "/dev/bus/0", type: "megaraid,0" })).toEqual({
    device: "/dev/bus/0",
    type: "megaraid,0",
  });
});
