import { describe, expect, test } from "bun:test";
import { failure as failureOf } from "@infrastructor/lib/collect/failure.ts";
import type { AppError } from "@infrastructor/shared/errors.ts";
import { SmartReadingSchema } from "../schema.ts";
import { parseSmartctlJson } from "./parse-json.ts";
import { DEVICE_JSON, testdata } from "./testdata.ts";

type Row = [string, string, number | null, Record<string, unknown>];

/** [file, kind, exit status, fields of the reading that must match] for every JSON capture. */
const EXPECTED: Row[] = [
  [
    "beszel__nvme0.json",
    "reading",
    0,
    {
      protocol: "nvme",
      model: "PELADN 512GB",
      temperature_c: 61,
      temperature_limit_c: 100,
      power_on_hours: 4399,
      power_cycles: 430,
    },
  ],
  [
    "beszel__sda_sata_ssd_exit64.json",
    "reading",
    64,
    { protocol: "ata", serial: "9C40918040082", rotation_rpm: 0, crc_errors: 131, reallocated_sectors: 0 },
  ],
  ["handwritten__standby.json", "standby", 2, {}],
  ["local__smartctl7.3_vda_unknown_type_exit1.json", "no_data", 1, {}],
  [
    "scrutiny__smart-ata-full_samsung860evo_x.json",
    "reading",
    0,
    { model: "Samsung SSD 860 EVO 500GB", temperature_c: 36, temperature_limit_c: 70, power_on_hours: 14551 },
  ],
  [
    "scrutiny__smart-fail2_hitachi_FAILED_exit216.json",
    "reading",
    216,
    {
      health: "failed",
      reallocated_sectors: 1975,
      pending_sectors: 8,
      offline_uncorrectable: 0,
      rotation_rpm: 7200,
    },
  ],
  ["scrutiny__smart-fail_exit2_open_failed.json", "no_data", 2, {}],
  [
    "scrutiny__smart-megaraid0.json",
    "reading",
    4,
    { model: "WD4000FYYX", capacity_bytes: 4000787030016, power_on_hours: 37787 },
  ],
  [
    "scrutiny__smart-nvme2_force_mp510.json",
    "reading",
    0,
    { protocol: "nvme", firmware: "ECFM12.3", power_cycles: 4 },
  ],
  [
    "smartctl_exporter__SAMSUNG_MZ7WD240_sata_ssd.json",
    "reading",
    0,
    { power_on_hours: 84619, pending_sectors: null, temperature_c: 27 },
  ],
  [
    "smartctl_exporter__SEAGATE_ST373453LC_scsi.json",
    "reading",
    0,
    {
      protocol: "scsi",
      model: "SEAGATE ST373453LC",
      firmware: "DX10",
      grown_defects: 260,
      temperature_limit_c: 68,
      rotation_rpm: 15015,
      power_cycles: null,
    },
  ],
  [
    "smartctl_exporter__ST3200820AS_exit64_errorlog.json",
    "reading",
    64,
    { power_on_hours: 100161, rotation_rpm: null },
  ],
  [
    "smartctl_exporter__Samsung_970_EVO_Plus_nvme.json",
    "reading",
    0,
    { protocol: "nvme", power_on_hours: 3149 },
  ],
  [
    "smartctl_exporter__Seagate_Exos_X16_sata_hdd.json",
    "reading",
    0,
    { capacity_bytes: 16000900661248, temperature_c: 26 },
  ],
  ["smartctl_exporter__WDC_WD20EFRX_sata_hdd.json", "reading", 0, { rotation_rpm: 5400, power_cycles: 3 }],
  [
    "telegraf__smartctl_nvme_sabrent.json",
    "reading",
    0,
    { protocol: "nvme", power_cycles: 1815, temperature_c: 48 },
  ],
  [
    "telegraf__smartctl_usb_sat_sandisk.json",
    "reading",
    0,
    { temperature_c: null, power_on_hours: 11, power_cycles: 223 },
  ],
  // Megaraid passthrough of a SAS disk, smartctl 7.4: scsi_revision, start-stop counter, power_on_time.
  [
    "smartctl_exporter__megaraid0_TOSHIBA_AL15SEB24EQY_sas.json",
    "reading",
    0,
    {
      protocol: "scsi",
      model: "TOSHIBA AL15SEB24EQY",
      firmware: "EF06",
      capacity_bytes: 2400476553216,
      temperature_c: 32,
      temperature_limit_c: 65,
      power_on_hours: 12437,
      start_stop_cycles: 82,
      uncorrected_errors: 0,
      grown_defects: 0,
      smart_support: "available",
    },
  ],
  // smartctl 6.7's pre-release JSON: `vendor`/`product`/`revision` before the 7.3 `scsi_` renames.
  [
    "scrutiny__smart-scsi2_seagate_smartctl6.7_revision.json",
    "reading",
    0,
    {
      protocol: "scsi",
      model: "SEAGATE ST1200MM0088",
      firmware: "N004",
      power_on_hours: 5675,
      temperature_c: 31,
      temperature_limit_c: 60,
      uncorrected_errors: 0,
    },
  ],
  // Temperature 0 with a trip of 0 beside an SPC-5 environmental report: the report's 38 C, no limit.
  [
    "scrutiny__smart-scsi-sas-env-temp_temp0.json",
    "reading",
    0,
    { firmware: "C232", temperature_c: 38, temperature_limit_c: null },
  ],
  // QEMU scsi-hd: no SMART, 0 C and a trip of 0: no sensor, and bit 2 from the missing self-test log.
  [
    "built__qemu_harddisk_scsi_smartctl7.3_exit4.json",
    "reading",
    4,
    {
      model: "QEMU QEMU HARDDISK",
      firmware: "2.5+",
      temperature_c: null,
      temperature_limit_c: null,
      health: "unknown",
      smart_support: "unavailable",
    },
  ],
  ["built__usb_unknown_bridge_smartctl7.3_exit1.json", "no_data", 1, {}],
];

describe("parseSmartctlJson on every captured JSON output", () => {
  test("the table covers every file in testdata", () => {
    expect(EXPECTED.map((r) => r[0]).sort()).toEqual(DEVICE_JSON);
  });

  for (const [file, kind, exit, fields] of EXPECTED) {
    test(file, () => {
      const result = parseSmartctlJson(testdata(file));
      expect([result.kind, result.exit_status] as unknown[]).toEqual([kind, exit]);
      if (result.kind === "reading") {
        expect(SmartReadingSchema.parse(result.reading)).toEqual(result.reading);
        expect(result.reading).toMatchObject(fields);
      }
    });
  }

  test("NVMe health log: percentage used, spare and its threshold, media errors, unsafe shutdowns", () => {
    const r = parseSmartctlJson(testdata("telegraf__smartctl_nvme_sabrent.json"));
    expect(r.kind === "reading" && r.reading.nvme).toEqual({
      critical_warning: 0,
      percentage_used: 4,
      available_spare_pct: 100,
      available_spare_threshold_pct: 5,
      media_errors: 0,
      unsafe_shutdowns: 39,
      error_log_entries: 4871,
    });
  });

  test("the attribute table keeps normalized values, thresholds, WHEN_FAILED and the printed raw value", () => {
    const r = parseSmartctlJson(testdata("scrutiny__smart-fail2_hitachi_FAILED_exit216.json"));
    if (r.kind !== "reading") throw new Error("expected a reading");
    expect(r.reading.attributes).toHaveLength(17);
    expect(r.reading.attributes.find((a) => a.id === 5)).toEqual({
      id: 5,
      name: "Reallocated_Sector_Ct",
      value: 1,
      worst: 1,
      thresh: 5,
      kind: "prefail",
      when_failed: "now",
      raw: 1975,
      raw_string: "1975",
    });
    // The packed 48-bit raw of a temperature is not the temperature; the printed leading number is.
    expect(r.reading.attributes.find((a) => a.id === 194)?.raw).toBe(25);
    expect(r.version).toBe("7.1");
  });

  test("the device is the JSON's top-level `device` object, with its megaraid -d type", () => {
    const r = parseSmartctlJson(testdata("smartctl_exporter__megaraid0_TOSHIBA_AL15SEB24EQY_sas.json"));
    expect(r.device).toEqual({ device: "/dev/bus/0", type: "megaraid,0" });
    expect(parseSmartctlJson(testdata("built__usb_unknown_bridge_smartctl7.3_exit1.json")).device).toBeNull();
  });

  test("an unknown USB bridge keeps smartctl's words for the drive's error", () => {
    const r = parseSmartctlJson(testdata("built__usb_unknown_bridge_smartctl7.3_exit1.json"));
    if (r.kind !== "no_data") throw new Error("expected no data");
    expect(r.message).toBe("/dev/sda: Unknown USB bridge [0x7825:0xa2a4 (0x4101)]");
  });

  test("an unreadable NVMe health log is its item error; identity, health and temperature stay", () => {
    const text = testdata("telegraf__smartctl_nvme_sabrent.json").replace(
      /"media_errors": \d+/,
      '"media_errors": "lots"',
    );
    const r = parseSmartctlJson(text);
    if (r.kind !== "reading") throw new Error("expected a reading");
    expect(r.reading).toMatchObject({ protocol: "nvme", health: "passed", temperature_c: 48, nvme: null });
    expect(r.reading.item_errors).toMatchObject([
      { name: "nvme_smart_health_information_log", error: { code: "PARSE_FAILED", line: null } },
    ]);
    expect(r.reading.item_errors?.[0]?.error.message).toContain("media_errors");
  });

  test("open failure keeps smartctl's message", () => {
    const r = parseSmartctlJson(testdata("scrutiny__smart-fail_exit2_open_failed.json"));
    if (r.kind !== "no_data") throw new Error("expected no data");
    expect(r.message).toContain("Open failed");
  });
});

describe("unknown or truncated input is PARSE_FAILED naming the line", () => {
  const failure = (text: string): AppError => failureOf(() => parseSmartctlJson(text));

  test("a cut-off output names its last line", () => {
    const full = testdata("smartctl_exporter__WDC_WD20EFRX_sata_hdd.json");
    const cut = full.split("\n").slice(0, 40).join("\n");
    const err = failure(cut);
    expect(err.code).toBe("PARSE_FAILED");
    expect(err.message).toContain("(line 40)");
    expect(err.message).toContain("truncated");
  });

  test("garbage names the line it is on", () => {
    const err = failure('{\n  "smartctl": {},\n  oops: 1\n}');
    expect(err.details).toMatchObject({ line: 3, excerpt: "  oops: 1" });
  });

  test("a field of the wrong type names the field and its line", () => {
    const text = testdata("smartctl_exporter__SEAGATE_ST373453LC_scsi.json").replace(
      '"scsi_grown_defect_list": 260',
      '"scsi_grown_defect_list": "many"',
    );
    const err = failure(text);
    expect(err.message).toContain("scsi_grown_defect_list");
    expect(err.details?.line).toBe(
      text.split("\n").findIndex((l) => l.includes("scsi_grown_defect_list")) + 1,
    );
  });

  test("an unknown protocol and plain text are refused", () => {
    expect(
      failure('{"smartctl":{},"device":{"name":"/dev/x","type":"x","protocol":"FC"}}').message,
    ).toContain("unknown device protocol");
    expect(failure("smartctl 6.5 2016-05-07\n").details?.line).toBe(1);
    expect(failure("").code).toBe("PARSE_FAILED");
  });
});
