import { describe, expect, test } from "bun:test";
import type { SmartReading } from "../schema.ts";
import { assess } from "./assess.ts";
import { decodeExitStatus } from "./exit-status.ts";
import { parseSmartctlJson } from "./parse-json.ts";
import { parseSmartctlText } from "./parse-text.ts";
import { DEVICE_JSON, testdata } from "./testdata.ts";

function judged(file: string): ReturnType<typeof assess> | null {
  const r = file.endsWith(".json") ? parseSmartctlJson(testdata(file)) : parseSmartctlText(testdata(file));
  if (r.kind !== "reading") return null;
  return assess(r.reading, decodeExitStatus(r.exit_status ?? 0));
}

describe("verdicts of the captured drives", () => {
  test("each JSON capture with a reading", () => {
    const verdicts = Object.fromEntries(DEVICE_JSON.map((f) => [f, judged(f)?.verdict ?? null]));
    expect(verdicts).toEqual({
      "beszel__nvme0.json": "ok",
      "beszel__sda_sata_ssd_exit64.json": "warning",
      // No SMART, no sensor: bit 2 (no self-test log) and 0 C / trip 0 C are expected, not a fault.
      "built__qemu_harddisk_scsi_smartctl7.3_exit4.json": "ok",
      "built__usb_unknown_bridge_smartctl7.3_exit1.json": null,
      "handwritten__standby.json": null,
      "local__smartctl7.3_vda_unknown_type_exit1.json": null,
      "scrutiny__smart-ata-full_samsung860evo_x.json": "ok",
      "scrutiny__smart-fail2_hitachi_FAILED_exit216.json": "failing",
      "scrutiny__smart-fail_exit2_open_failed.json": null,
      "scrutiny__smart-megaraid0.json": "warning",
      "scrutiny__smart-nvme2_force_mp510.json": "ok",
      "scrutiny__smart-scsi-sas-env-temp_temp0.json": "ok",
      "scrutiny__smart-scsi2_seagate_smartctl6.7_revision.json": "ok",
      "smartctl_exporter__SAMSUNG_MZ7WD240_sata_ssd.json": "ok",
      "smartctl_exporter__SEAGATE_ST373453LC_scsi.json": "warning",
      "smartctl_exporter__ST3200820AS_exit64_errorlog.json": "warning",
      "smartctl_exporter__Samsung_970_EVO_Plus_nvme.json": "ok",
      "smartctl_exporter__Seagate_Exos_X16_sata_hdd.json": "ok",
      "smartctl_exporter__WDC_WD20EFRX_sata_hdd.json": "ok",
      "smartctl_exporter__megaraid0_TOSHIBA_AL15SEB24EQY_sas.json": "ok",
      "telegraf__smartctl_nvme_sabrent.json": "ok",
      "telegraf__smartctl_usb_sat_sandisk.json": "ok",
    });
  });

  test("virtual disks: 0 C with a trip of 0 C and the missing self-test log (bit 2) are no warning", () => {
    for (const file of [
      "built__qemu_harddisk_scsi_smartctl7.3_exit4.json",
      "py-smart__megaraid_vd_intel_rs3dc080_temp0_smartctl7.1.txt",
    ]) {
      const r = file.endsWith(".json")
        ? parseSmartctlJson(testdata(file))
        : parseSmartctlText(testdata(file));
      if (r.kind !== "reading") throw new Error("expected a reading");
      expect(r.reading).toMatchObject({ temperature_c: null, temperature_limit_c: null });
      expect(assess(r.reading, decodeExitStatus(4))).toEqual({ verdict: "ok", reasons: [] });
    }
  });

  test("a real drive whose trip point reads 0 is not 'at or above its limit'", () => {
    const text = testdata("py-smart__megaraid44_sas_hgst_smartctl7.1.txt").replace(
      "Drive Trip Temperature:        85 C",
      "Drive Trip Temperature:        0 C",
    );
    const r = parseSmartctlText(text);
    if (r.kind !== "reading") throw new Error("expected a reading");
    expect(r.reading).toMatchObject({ temperature_c: 40, temperature_limit_c: null });
    expect(assess(r.reading, []).verdict).toBe("ok");
  });

  test("the failing Hitachi says why, failing reasons first", () => {
    expect(judged("scrutiny__smart-fail2_hitachi_FAILED_exit216.json")?.reasons).toEqual([
      "SMART health self-assessment FAILED",
      "prefail attribute Reallocated_Sector_Ct at or below threshold (1 <= 5)",
      "1975 reallocated sectors",
      "8 pending sectors",
      "the drive's error log has entries",
      "the self-test log has errors",
    ]);
  });

  test("warnings name their cause", () => {
    expect(judged("beszel__sda_sata_ssd_exit64.json")?.reasons).toEqual([
      "131 CRC errors (cable or connector)",
      "the drive's error log has entries",
    ]);
    expect(judged("smartctl_exporter__SEAGATE_ST373453LC_scsi.json")?.reasons).toEqual([
      "260 grown defects",
      "536 uncorrected errors in the SCSI error counter log",
    ]);
    expect(judged("scrutiny__smart-megaraid0.json")?.reasons).toEqual(["some SMART commands failed"]);
  });

  test("NVMe critical warning 0x09 (text capture): spare below threshold and read-only", () => {
    expect(judged("telegraf__smartctl_text_iHA_nvme_smartctl6.5.txt")).toEqual({
      verdict: "failing",
      reasons: ["NVMe spare below threshold (100% < 10%)", "NVMe media read-only"],
    });
  });
});

describe("thresholds on a reading", () => {
  const base = (): SmartReading => {
    const r = parseSmartctlJson(testdata("telegraf__smartctl_nvme_sabrent.json"));
    if (r.kind !== "reading") throw new Error("expected a reading");
    return r.reading;
  };
  const withNvme = (over: Partial<NonNullable<SmartReading["nvme"]>>): SmartReading => {
    const r = base();
    return { ...r, nvme: { ...(r.nvme as NonNullable<SmartReading["nvme"]>), ...over } };
  };

  test("spare below its threshold is failing even without the warning bit", () => {
    expect(assess(withNvme({ available_spare_pct: 4 }), [])).toEqual({
      verdict: "failing",
      reasons: ["NVMe spare below threshold (4% < 5%)"],
    });
  });

  test("wear, media errors and heat are warnings", () => {
    expect(assess(withNvme({ percentage_used: 95, media_errors: 3 }), []).reasons).toEqual([
      "3 NVMe media errors",
      "NVMe endurance 95% used",
    ]);
    expect(assess({ ...base(), temperature_c: 80, temperature_limit_c: 75 }, []).reasons).toEqual([
      "temperature 80 C at or above the drive's limit 75 C",
    ]);
  });

  test("exit bits alone", () => {
    expect(assess(base(), ["disk_failing"]).verdict).toBe("failing");
    expect(assess(base(), ["attributes_past_threshold"]).reasons).toEqual([
      "smartctl: an attribute was at or below threshold in the past",
    ]);
  });
});
