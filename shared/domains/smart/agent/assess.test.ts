import { describe, expect, test } from "bun:test";
import type { SmartReading } from "../schema.ts";
import { assess } from "./assess.ts";
import { decodeExitStatus } from "./exit-status.ts";
import { parseSmartctlJson } from "./parse-json.ts";
import { parseSmartctlText } from "./parse-text.ts";
import { DEVICE_JSON, testdata } from "./testing/captures.ts";

function judged(file: string): ReturnType<typeof assess> | null {
  const r = file.endsWith(".json") ? parseSmartctlJson(testdata(file)) : parseSmartctlText(testdata(file));
  if (r.kind !== "reading") return null;
  return assess(r.reading, decodeExitStatus(r.exit_status ?? 0));
}

describe("verdicts of the captured drives", () => {
  test("each JSON capture with a reading", () => {
    const verdicts = Object.fromEntries(DEVICE_JSON.map((f) => [f, judged(f)?.verdict ?? null]));
    expect(verdicts).toEqual({
      "beszel-nvme0/smartctl-json.json": "ok",
      "beszel-sda-sata-ssd-exit64/smartctl-json.json": "warning",
      // No SMART, no sensor: bit 2 (no self-test log) and 0 C / trip 0 C are expected, not a fault.
      "built-qemu-harddisk-scsi-smartctl7.3-exit4/smartctl-json.json": "ok",
      "built-usb-unknown-bridge-smartctl7.3-exit1/smartctl-json.json": null,
      "handwritten-standby/smartctl-json.json": null,
      "local-smartctl7.3-debian12-vm/smartctl-json.json": null,
      "scrutiny-smart-ata-full-samsung860evo-x/smartctl-json.json": "ok",
      "scrutiny-smart-fail2-hitachi-failed-exit216/smartctl-json.json": "failing",
      "scrutiny-smart-fail-exit2-open-failed/smartctl-json.json": null,
      "scrutiny-smart-megaraid0/smartctl-json.json": "warning",
      "scrutiny-smart-nvme2-force-mp510/smartctl-json.json": "ok",
      "scrutiny-smart-scsi-sas-env-temp-temp0/smartctl-json.json": "ok",
      "scrutiny-smart-scsi2-seagate-smartctl6.7-revision/smartctl-json.json": "ok",
      "smartctl-exporter-samsung-mz7wd240-sata-ssd/smartctl-json.json": "ok",
      "smartctl-exporter-seagate-st373453lc-scsi/smartctl-json.json": "warning",
      "smartctl-exporter-st3200820as-exit64-errorlog/smartctl-json.json": "warning",
      "smartctl-exporter-samsung-970-evo-plus-nvme/smartctl-json.json": "ok",
      "smartctl-exporter-seagate-exos-x16-sata-hdd/smartctl-json.json": "ok",
      "smartctl-exporter-wdc-wd20efrx-sata-hdd/smartctl-json.json": "ok",
      "smartctl-exporter-megaraid0-toshiba-al15seb24eqy-sas/smartctl-json.json": "ok",
      "telegraf-smartctl-nvme-sabrent/smartctl-json.json": "ok",
      "telegraf-smartctl-usb-sat-sandisk/smartctl-json.json": "ok",
    });
  });

  test("virtual disks: 0 C with a trip of 0 C and the missing self-test log (bit 2) are no warning", () => {
    for (const file of [
      "built-qemu-harddisk-scsi-smartctl7.3-exit4/smartctl-json.json",
      "py-smart-megaraid-vd-intel-rs3dc080-temp0-smartctl7.1/smartctl-text.txt",
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
    const text = testdata("py-smart-megaraid44-sas-hgst-smartctl7.1/smartctl-text.txt").replace(
      "Drive Trip Temperature:        85 C",
      "Drive Trip Temperature:        0 C",
    );
    const r = parseSmartctlText(text);
    if (r.kind !== "reading") throw new Error("expected a reading");
    expect(r.reading).toMatchObject({ temperature_c: 40, temperature_limit_c: null });
    expect(assess(r.reading, []).verdict).toBe("ok");
  });

  test("the failing Hitachi says why, failing reasons first", () => {
    expect(judged("scrutiny-smart-fail2-hitachi-failed-exit216/smartctl-json.json")?.reasons).toEqual([
      "SMART health self-assessment FAILED",
      "prefail attribute Reallocated_Sector_Ct at or below threshold (1 <= 5)",
      "1975 reallocated sectors",
      "8 pending sectors",
      "the drive's error log has entries",
      "the self-test log has errors",
    ]);
  });

  test("warnings name their cause", () => {
    expect(judged("beszel-sda-sata-ssd-exit64/smartctl-json.json")?.reasons).toEqual([
      "131 CRC errors (cable or connector)",
      "the drive's error log has entries",
    ]);
    expect(judged("smartctl-exporter-seagate-st373453lc-scsi/smartctl-json.json")?.reasons).toEqual([
      "260 grown defects",
      "536 uncorrected errors in the SCSI error counter log",
    ]);
    expect(judged("scrutiny-smart-megaraid0/smartctl-json.json")?.reasons).toEqual([
      "some SMART commands failed",
    ]);
  });

  test("NVMe critical warning 0x09 (text capture): spare below threshold and read-only", () => {
    expect(judged("telegraf-smartctl-text-iha-nvme-smartctl6.5/smartctl-text.txt")).toEqual({
      verdict: "failing",
      reasons: ["NVMe spare below threshold (100% < 10%)", "NVMe media read-only"],
    });
  });
});

describe("thresholds on a reading", () => {
  const base = (): SmartReading => {
    const r = parseSmartctlJson(testdata("telegraf-smartctl-nvme-sabrent/smartctl-json.json"));
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
