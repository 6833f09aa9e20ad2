import { describe, expect, test } from "bun:test";
import { failure as failureOf } from "@infrastructor/lib/testing/failure.ts";
import type { AppError } from "@infrastructor/shared/errors.ts";
import { SmartReadingSchema } from "../schema.ts";
import { parseSmartctlText } from "./parse-text.ts";
import { DEVICE_TEXT, testdata } from "./testing/captures.ts";

type Row = [string, string, string, number, Record<string, unknown>];

/** [file, kind, smartctl version, attribute rows, fields] for every plain-text capture. */
const EXPECTED: Row[] = [
  [
    "telegraf-smartctl-text-iha-darwin-smartctl6.5/smartctl-text.txt",
    "reading",
    "6.5",
    12,
    {
      protocol: "ata",
      model: "APPLE SSD SM256E",
      rotation_rpm: 0,
      temperature_c: 34,
      power_on_hours: 2988,
      power_cycles: 14879,
      offline_uncorrectable: null,
    },
  ],
  [
    "telegraf-smartctl-text-iha-hgst-sata-smartctl6.6/smartctl-text.txt",
    "reading",
    "6.6",
    19,
    {
      serial: "RCE50G20G81S9S",
      capacity_bytes: 500107862016,
      rotation_rpm: 7200,
      temperature_c: 24,
      power_on_hours: 743,
      health: "passed",
    },
  ],
  [
    "telegraf-smartctl-text-iha-nvme-smartctl6.5/smartctl-text.txt",
    "reading",
    "6.5",
    0,
    {
      protocol: "nvme",
      model: "TS128GMTE850",
      capacity_bytes: 128035676160,
      temperature_c: 38,
      power_on_hours: 6038,
      power_cycles: 472,
    },
  ],
  // Upstream's copy has a stray `$` inside the capacity: it is left null rather than guessed.
  [
    "telegraf-smartctl-text-iha-sas-smartctl6.6-pve/smartctl-text.txt",
    "reading",
    "6.6",
    0,
    {
      protocol: "scsi",
      model: "HITACHI HUC103030CSS600",
      firmware: "J350",
      capacity_bytes: null,
      rotation_rpm: 10020,
      temperature_c: 36,
      temperature_limit_c: 85,
      grown_defects: 0,
      health: "passed",
    },
  ],
  [
    "telegraf-smartctl-text-iha-seagate-st2000dm006-smartctl7.5/smartctl-text.txt",
    "reading",
    "7.5",
    24,
    {
      model: "ST2000DM006-2DM164",
      temperature_c: 33,
      power_on_hours: 28379,
      power_cycles: 2202,
      reallocated_sectors: 0,
      crc_errors: 0,
    },
  ],
  ["telegraf-smartctl-text-standby-unraid/smartctl-text.txt", "standby", "7.4", 0, {}],
  // A RAID controller's virtual drive (no SMART): "0 C" and a trip of "0 C" are no sensor.
  [
    "py-smart-megaraid-vd-intel-rs3dc080-temp0-smartctl7.1/smartctl-text.txt",
    "reading",
    "7.1",
    0,
    {
      protocol: "scsi",
      model: "Intel RS3DC080",
      capacity_bytes: 118999744512,
      temperature_c: null,
      temperature_limit_c: null,
      health: "unknown",
      smart_support: "unavailable",
    },
  ],
  // Thousands grouped with spaces ("12 000 138 625 024 bytes"), error counter log with `,` decimals.
  [
    "py-smart-sas-hgst-space-thousands-smartctl7.1/smartctl-text.txt",
    "reading",
    "7.1",
    0,
    {
      protocol: "scsi",
      capacity_bytes: 12000138625024,
      temperature_c: 32,
      temperature_limit_c: 85,
      start_stop_cycles: 1051,
      uncorrected_errors: 0,
      grown_defects: 0,
    },
  ],
  [
    "py-smart-megaraid44-sas-hgst-smartctl7.1/smartctl-text.txt",
    "reading",
    "7.1",
    0,
    {
      model: "HGST HUS726040AL5210",
      firmware: "A907",
      capacity_bytes: 4000787030016,
      start_stop_cycles: 101,
      uncorrected_errors: 0,
      temperature_c: 40,
    },
  ],
  ["hddtemp-issue5-usb-unknown-bridge-smartctl7.2/smartctl-text.txt", "no_data", "7.2", 0, {}],
  // QEMU's IDE disk emulates SMART (fixed values); smartctl 6.6 -x with its logs around the table.
  [
    "maas-docs-qemu-harddisk-ata-smartctl6.6-x/smartctl-text.txt",
    "reading",
    "6.6",
    7,
    {
      protocol: "ata",
      model: "QEMU HARDDISK",
      serial: "QM00001",
      capacity_bytes: 5368709120,
      health: "passed",
      temperature_c: 31,
      power_on_hours: 1,
      reallocated_sectors: 0,
      smart_support: "available",
    },
  ],
];

describe("parseSmartctlText on every captured plain-text output", () => {
  test("the table covers every file in testdata", () => {
    expect(EXPECTED.map((r) => r[0]).sort()).toEqual(DEVICE_TEXT);
  });

  for (const [file, kind, version, rows, fields] of EXPECTED) {
    test(file, () => {
      const result = parseSmartctlText(testdata(file));
      expect([result.kind, result.version, result.exit_status] as unknown[]).toEqual([kind, version, null]);
      if (result.kind === "reading") {
        expect(SmartReadingSchema.parse(result.reading)).toEqual(result.reading);
        expect(result.reading.attributes).toHaveLength(rows);
        expect(result.reading).toMatchObject(fields);
      }
    });
  }

  test("NVMe critical warning 0x09 and the health numbers", () => {
    const r = parseSmartctlText(testdata("telegraf-smartctl-text-iha-nvme-smartctl6.5/smartctl-text.txt"));
    expect(r.kind === "reading" && r.reading.nvme).toEqual({
      critical_warning: 9,
      percentage_used: 16,
      available_spare_pct: 100,
      available_spare_threshold_pct: 10,
      media_errors: 0,
      unsafe_shutdowns: 355,
      error_log_entries: 119_699,
    });
  });

  test("rows keep WHEN_FAILED (`Past`) and the printed raw value", () => {
    const r = parseSmartctlText(testdata("telegraf-smartctl-text-iha-darwin-smartctl6.5/smartctl-text.txt"));
    if (r.kind !== "reading") throw new Error("expected a reading");
    expect(r.reading.attributes.find((a) => a.id === 190)).toMatchObject({
      when_failed: "past",
      raw: 45,
      thresh: 45,
    });
    expect(r.reading.attributes.find((a) => a.id === 240)).toMatchObject({
      raw: 6585,
      raw_string: "6585h+55m+23.234s",
    });
  });

  test("classic (non-brief) rows parse the same", () => {
    const old = [
      "smartctl 6.2 2013-07-26 r3841 [x86_64-linux-3.10.0] (local build)",
      "=== START OF INFORMATION SECTION ===",
      "Device Model:     WDC WD40EFRX-68WT0N0",
      "=== START OF READ SMART DATA SECTION ===",
      "SMART overall-health self-assessment test result: FAILED!",
      "ID# ATTRIBUTE_NAME          FLAG     VALUE WORST THRESH TYPE      UPDATED  WHEN_FAILED RAW_VALUE",
      "  5 Reallocated_Sector_Ct   0x0033   001   001   140    Pre-fail  Always   FAILING_NOW 2011",
      "197 Current_Pending_Sector  0x0032   200   200   000    Old_age   Always       -       12",
      "",
    ].join("\n");
    const r = parseSmartctlText(old);
    if (r.kind !== "reading") throw new Error("expected a reading");
    expect(r.reading).toMatchObject({ health: "failed", reallocated_sectors: 2011, pending_sectors: 12 });
    expect(r.reading.attributes[0]).toMatchObject({
      kind: "prefail",
      when_failed: "now",
      value: 1,
      thresh: 140,
    });
  });
});

describe("unknown or truncated input is PARSE_FAILED naming the line", () => {
  const failure = (text: string): AppError => failureOf(() => parseSmartctlText(text));
  const hgst = testdata("telegraf-smartctl-text-iha-hgst-sata-smartctl6.6/smartctl-text.txt").split("\n");

  test("an attribute row cut in the middle names that row", () => {
    const cut = [...hgst.slice(0, 30), hgst[30]?.slice(0, 30) ?? ""].join("\n");
    const err = failure(cut);
    expect(err.code).toBe("PARSE_FAILED");
    expect(err.details?.line).toBe(31);
  });

  test("a table cut after a whole row has no end: the last line is named", () => {
    const err = failure(hgst.slice(0, 30).join("\n"));
    expect(err.message).toContain("truncated");
    expect(err.details?.line).toBe(30);
  });

  test("output cut before the SMART data sections", () => {
    expect(failure(hgst.slice(0, 3).join("\n")).message).toContain("no information and SMART data sections");
  });

  test("a garbled NVMe number is the health log's item error naming its line; the drive stays", () => {
    const nvme = testdata("telegraf-smartctl-text-iha-nvme-smartctl6.5/smartctl-text.txt").replace(
      "Percentage Used: 16%",
      "Percentage Used: n/a",
    );
    const r = parseSmartctlText(nvme);
    if (r.kind !== "reading") throw new Error("expected a reading");
    expect(r.reading).toMatchObject({ model: "TS128GMTE850", nvme: null, power_on_hours: 6038 });
    expect(r.reading.item_errors).toMatchObject([
      { name: "NVMe health log", error: { code: "PARSE_FAILED", line: 24, excerpt: "Percentage Used: n/a" } },
    ]);
    expect(r.reading.item_errors?.[0]?.error.message).toContain("percentage used");
  });

  test("not smartctl at all", () => {
    expect(failure("hello\n").details).toMatchObject({ line: 1, excerpt: "hello" });
  });
});
