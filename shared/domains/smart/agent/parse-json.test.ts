import { describe, expect, test } from "bun:test";
import { failure as failureOf } from "@infrastructor/lib/testing/failure.ts";
import type { AppError } from "@infrastructor/shared/errors.ts";
import { SmartReadingSchema } from "../schema.ts";
import { parseSmartctlJson } from "./parse-json.ts";
import { DEVICE_JSON, testdata } from "./testing/captures.ts";

type Row = [string, string, number | null, Record<string, unknown>];

/** [file, kind, exit status, fields of the reading that must match] for every JSON capture. */
const EXPECTED: Row[] = [
  [
    "beszel-nvme0/smartctl-json.json",
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
    "beszel-sda-sata-ssd-exit64/smartctl-json.json",
    "reading",
    64,
    { protocol: "ata", serial: "9C40918040082", rotation_rpm: 0, crc_errors: 131, reallocated_sectors: 0 },
  ],
  ["handwritten-standby/smartctl-json.json", "standby", 2, {}],
  ["local-smartctl7.3-debian12-vm/smartctl-json.json", "no_data", 1, {}],
  [
    "scrutiny-smart-ata-full-samsung860evo-x/smartctl-json.json",
    "reading",
    0,
    { model: "Samsung SSD 860 EVO 500GB", temperature_c: 36, temperature_limit_c: 70, power_on_hours: 14551 },
  ],
  [
    "scrutiny-smart-fail2-hitachi-failed-exit216/smartctl-json.json",
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
  ["scrutiny-smart-fail-exit2-open-failed/smartctl-json.json", "no_data", 2, {}],
  [
    "scrutiny-smart-megaraid0/smartctl-json.json",
    "reading",
    4,
    { model: "WD4000FYYX", capacity_bytes: 4000787030016, power_on_hours: 37787 },
  ],
  [
    "scrutiny-smart-nvme2-force-mp510/smartctl-json.json",
    "reading",
    0,
    { protocol: "nvme", firmware: "ECFM12.3", power_cycles: 4 },
  ],
  [
    "smartctl-exporter-samsung-mz7wd240-sata-ssd/smartctl-json.json",
    "reading",
    0,
    { power_on_hours: 84619, pending_sectors: null, temperature_c: 27 },
  ],
  [
    "smartctl-exporter-seagate-st373453lc-scsi/smartctl-json.json",
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
    "smartctl-exporter-st3200820as-exit64-errorlog/smartctl-json.json",
    "reading",
    64,
    { power_on_hours: 100161, rotation_rpm: null },
  ],
  [
    "smartctl-exporter-samsung-970-evo-plus-nvme/smartctl-json.json",
    "reading",
    0,
    { protocol: "nvme", power_on_hours: 3149 },
  ],
  [
    "smartctl-exporter-seagate-exos-x16-sata-hdd/smartctl-json.json",
    "reading",
    0,
    { capacity_bytes: 16000900661248, temperature_c: 26 },
  ],
  [
    "smartctl-exporter-wdc-wd20efrx-sata-hdd/smartctl-json.json",
    "reading",
    0,
    { rotation_rpm: 5400, power_cycles: 3 },
  ],
  [
    "telegraf-smartctl-nvme-sabrent/smartctl-json.json",
    "reading",
    0,
    { protocol: "nvme", power_cycles: 1815, temperature_c: 48 },
  ],
  [
    "telegraf-smartctl-usb-sat-sandisk/smartctl-json.json",
    "reading",
    0,
    { temperature_c: null, power_on_hours: 11, power_cycles: 223 },
  ],
  // Megaraid passthrough of a SAS disk, smartctl 7.4: scsi_revision, start-stop counter, power_on_time.
  [
    "smartctl-exporter-megaraid0-toshiba-al15seb24eqy-sas/smartctl-json.json",
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
    "scrutiny-smart-scsi2-seagate-smartctl6.7-revision/smartctl-json.json",
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
    "scrutiny-smart-scsi-sas-env-temp-temp0/smartctl-json.json",
    "reading",
    0,
    { firmware: "C232", temperature_c: 38, temperature_limit_c: null },
  ],
  // QEMU scsi-hd: no SMART, 0 C and a trip of 0: no sensor, and bit 2 from the missing self-test log.
  [
    "built-qemu-harddisk-scsi-smartctl7.3-exit4/smartctl-json.json",
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
  ["built-usb-unknown-bridge-smartctl7.3-exit1/smartctl-json.json", "no_data", 1, {}],
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
    const r = parseSmartctlJson(testdata("telegraf-smartctl-nvme-sabrent/smartctl-json.json"));
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
    const r = parseSmartctlJson(testdata("scrutiny-smart-fail2-hitachi-failed-exit216/smartctl-json.json"));
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
    const r = parseSmartctlJson(
      testdata("smartctl-exporter-megaraid0-toshiba-al15seb24eqy-sas/smartctl-json.json"),
    );
    expect(r.device).toEqual({ device: "/dev/bus/0", type: "megaraid,0" });
    expect(
      parseSmartctlJson(testdata("built-usb-unknown-bridge-smartctl7.3-exit1/smartctl-json.json")).device,
    ).toBeNull();
  });

  test("an unknown USB bridge keeps smartctl's words for the drive's error", () => {
    const r = parseSmartctlJson(testdata("built-usb-unknown-bridge-smartctl7.3-exit1/smartctl-json.json"));
    if (r.kind !== "no_data") throw new Error("expected no data");
    expect(r.message).toBe("/dev/sda: Unknown USB bridge [0x7825:0xa2a4 (0x4101)]");
  });

  test("an unreadable NVMe health log is its item error; identity, health and temperature stay", () => {
    const text = testdata("telegraf-smartctl-nvme-sabrent/smartctl-json.json").replace(
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
    const r = parseSmartctlJson(testdata("scrutiny-smart-fail-exit2-open-failed/smartctl-json.json"));
    if (r.kind !== "no_data") throw new Error("expected no data");
    expect(r.message).toContain("Open failed");
  });
});

describe("unknown or truncated input is PARSE_FAILED naming the line", () => {
  const failure = (text: string): AppError => failureOf(() => parseSmartctlJson(text));

  test("a cut-off output names its last line", () => {
    const full = testdata("smartctl-exporter-wdc-wd20efrx-sata-hdd/smartctl-json.json");
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
    const text = testdata("smartctl-exporter-seagate-st373453lc-scsi/smartctl-json.json").replace(
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
