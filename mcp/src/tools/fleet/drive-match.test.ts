import { describe, expect, test } from "bun:test";
import { parseZpoolStatus } from "@infrastructor/domains/zfs/agent/parse-zpool-status.ts";
import { fixture, zpoolStatusExporterCapture } from "@infrastructor/domains/zfs/agent/testing/captures.ts";
import { diskOf, vdevMatchesDrive, vdevNames } from "./drive-match.ts";

const hitachi = { device: "/dev/sdc", model: "HDS721050DLE630", serial: "MSK423Y20S3HBC" };

describe("vdevMatchesDrive", () => {
  test("the vdev name forms of real zpool status captures", async () => {
    const unavail = parseZpoolStatus(await zpoolStatusExporterCapture("DEGRADED_unavail_disk")).items;
    const names = (unavail[0]?.vdevs ?? []).filter((v) => v.depth > 1).flatMap(vdevNames);
    // A GUID with its old by-id path in the note, and two by-id names, one a partition.
    expect(names).toEqual([
      "12345678901234567890",
      "/dev/disk/by-id/ata-ST8000DM004-xxxxxx_redacted-part1",
      "ata-ST8000VN004-xxxxxx_redacted-part1",
      "ata-ST8000VN004-xxxxxx_redacted",
    ]);
    const gone = { device: "/dev/sdb", model: "ST8000DM004-xxxxxx", serial: "redacted" };
    expect(names.map((n) => vdevMatchesDrive(n, gone))).toEqual([false, true, true, true]);
    const resilver = parseZpoolStatus(await fixture("handwritten-tank-backup/zpool-status.txt")).items;
    const tank = (resilver[0]?.vdevs ?? []).map((v) => v.name);
    expect(tank.filter((n) => vdevMatchesDrive(n, hitachi))).toEqual(["sdc"]);
    // smartctl's NVMe controller holds the namespace the pool's log and cache partitions are on.
    const nvme = { device: "/dev/nvme0", model: "Sabrent", serial: "48790482000000000000" };
    expect(tank.filter((n) => vdevMatchesDrive(n, nvme))).toEqual(["nvme0n1p1", "nvme0n1p2"]);
  });

  test("kernel names, partitions, by-id of every bus, WWNs, full paths; nothing else", async () => {
    expect(["sdc", "sdc1", "/dev/sdc", "/dev/sdc2"].map((n) => vdevMatchesDrive(n, hitachi))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    for (const n of [
      "ata-Hitachi_HDS721050DLE630_MSK423Y20S3HBC",
      "ata-Hitachi_HDS721050DLE630_MSK423Y20S3HBC-part1",
      "/dev/disk/by-id/ata-Hitachi_HDS721050DLE630_MSK423Y20S3HBC-part9",
      "scsi-SATA_Hitachi_HDS72105_MSK423Y20S3HBC",
      "usb-Hitachi_HDS721050DLE630_MSK423Y20S3HBC-0:0",
    ]) {
      expect([n, vdevMatchesDrive(n.replace(/-0:0$/, ""), hitachi)]).toEqual([n, true]);
    }
    for (const n of [
      "sdcc",
      "sd",
      "sdb",
      "ata-Hitachi_HDS721050DLE630_MSK423Y20S3HBD",
      "MSK423Y20S3HBC",
      "wwn-0x5000cca0",
    ]) {
      expect([n, vdevMatchesDrive(n, hitachi)]).toEqual([n, false]);
    }
    // The captured healthy mirror names its members by WWN: only a drive that knows its WWN matches.
    const mirror = parseZpoolStatus(await fixture("jc-healthy-mirror-scrub-done/zpool-status.txt")).items;
    const wwns = (mirror[0]?.vdevs ?? []).filter((v) => v.depth === 2).map((v) => v.name);
    const seagate = { device: "/dev/sdd", model: "ST4000", serial: "ZC1AB2CD", wwn: "0x5000C500E39E8AF6" };
    expect(wwns.filter((n) => vdevMatchesDrive(n, seagate))).toEqual(["wwn-0x5000c500e39e8af6"]);
    expect(wwns.filter((n) => vdevMatchesDrive(n, { ...seagate, wwn: null }))).toEqual([]);
    expect(vdevMatchesDrive("nvme1n1", { device: "/dev/nvme0", model: null, serial: null })).toBe(false);
    expect(vdevMatchesDrive("nvme0n1", { device: "/dev/nvme0", model: null, serial: null })).toBe(true);
    expect(vdevMatchesDrive("sdc", { device: "/dev/sdd", model: null, serial: null })).toBe(false);
    expect(diskOf("/dev/disk/by-id/nvme-Samsung_SSD_970_EVO_Plus_250GB_S4EUNX0N123456-part3")).toBe(
      "nvme-Samsung_SSD_970_EVO_Plus_250GB_S4EUNX0N123456",
    );
  });
});
