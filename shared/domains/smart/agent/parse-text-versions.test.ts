import { describe, expect, test } from "bun:test";
import { parseSmartctlText } from "./parse-text.ts";
import { testdata } from "./testing/captures.ts";

function reading(text: string) {
  const r = parseSmartctlText(text);
  if (r.kind !== "reading") throw new Error(`expected a reading, got ${r.kind}`);
  return r.reading;
}

const HGST_SATA = "telegraf-smartctl-text-iha-hgst-sata-smartctl6.6/smartctl-text.txt";
const SAS = "py-smart-megaraid44-sas-hgst-smartctl7.1/smartctl-text.txt";

describe("smartctl text across locales and versions", () => {
  // Derived from real captures: only the grouping of the capacity is rewritten, in the forms smartctl
  // prints under other locales (de_DE "1.000.204.886.016 bytes [1,00 TB]", ru_RU "53 687 091 200").
  test.each([
    ["500,107,862,016 bytes [500 GB]", 500107862016],
    ["500.107.862.016 bytes [500 GB]", 500107862016],
    ["500 107 862 016 bytes [500 GB]", 500107862016],
    ["500\u00a0107\u00a0862\u00a0016 bytes [500 GB]", 500107862016],
    ["500107862016 bytes [500 GB]", 500107862016],
  ])("User Capacity %s", (printed, bytes) => {
    const text = testdata(HGST_SATA).replace(/^User Capacity:.*$/m, `User Capacity:    ${printed}`);
    expect(reading(text).capacity_bytes).toBe(bytes);
  });

  test("NVMe health numbers grouped with `.` (de_DE) or spaces read the same as with `,`", () => {
    // Derived from the real 6.5 NVMe capture: only the thousands separator is changed.
    const nvme = testdata("telegraf-smartctl-text-iha-nvme-smartctl6.5/smartctl-text.txt");
    const base = reading(nvme);
    for (const sep of [".", " ", "\u00a0"]) {
      const text = nvme.replace(/(\d),(\d{3})/g, `$1${sep}$2`).replace(/(\d),(\d{3})/g, `$1${sep}$2`);
      const r = reading(text);
      expect({ sep, nvme: r.nvme, hours: r.power_on_hours, bytes: r.capacity_bytes }).toEqual({
        sep,
        nvme: base.nvme,
        hours: 6038,
        bytes: 128035676160,
      });
    }
  });

  test("a SAS drive predicting its failure is `failed`, with the real capture's other fields", () => {
    // Derived from the real megaraid,44 capture; the status text is scsiGetIEString's, printed by
    // scsiprint.cpp as "SMART Health Status: %s [asc=%x, ascq=%x]".
    const text = testdata(SAS).replace(
      "SMART Health Status: OK",
      "SMART Health Status: FIRMWARE IMPENDING FAILURE TOO MANY BLOCK REASSIGNS [asc=5d, ascq=64]",
    );
    expect(reading(text)).toMatchObject({ health: "failed", temperature_c: 40, start_stop_cycles: 101 });
  });

  test("SCSI -a: accumulated power on time (scsiprint.cpp's `%d:%02d` line) is the power-on hours", () => {
    // Built from scsiprint.cpp scsiPrintBackgroundResults: the `-A` form and the `-l background` form.
    const base = testdata(SAS);
    const plain = base.replace(
      "Elements in grown defect list: 0",
      "Accumulated power on time, hours:minutes 22364:52\nElements in grown defect list: 0",
    );
    expect(reading(plain).power_on_hours).toBe(22364);
    const background = base.replace(
      "Non-medium error count:",
      "Background scan results log\n  Status: waiting until BMS interval timer expires\n    Accumulated power on time, hours:minutes 12437:29 [746249 minutes]\nNon-medium error count:",
    );
    expect(reading(background).power_on_hours).toBe(12437);
  });

  test("SCSI `<not available>` temperatures are no reading, not a parse failure", () => {
    const text = testdata(SAS)
      .replace("Current Drive Temperature:     40 C", "Current Drive Temperature:     <not available>")
      .replace("Drive Trip Temperature:        85 C", "Drive Trip Temperature:        <not available>");
    expect(reading(text)).toMatchObject({ temperature_c: null, temperature_limit_c: null, grown_defects: 0 });
  });

  test("uncorrected errors in the error counter log are summed; a bad counter row is its own error", () => {
    const text = testdata(SAS)
      .replace(/^read:(.*)0$/m, "read:$13")
      .replace(/^verify:(.*)0$/m, "verify:$12");
    expect(reading(text).uncorrected_errors).toBe(5);
    const bad = testdata(SAS).replace(/^write:.*$/m, "write:         0      211");
    const r = reading(bad);
    expect(r.uncorrected_errors).toBe(0);
    expect(r.item_errors).toMatchObject([{ name: "error counter log write", error: { line: 45 } }]);
  });

  test("an unknown USB bridge (real 7.2 output) is no data with smartctl's words", () => {
    const r = parseSmartctlText(testdata("hddtemp-issue5-usb-unknown-bridge-smartctl7.2/smartctl-text.txt"));
    expect(r).toEqual({
      kind: "no_data",
      version: "7.2",
      exit_status: null,
      device: null,
      message:
        "/dev/sda: Unknown USB bridge [0x7825:0xa2a4 (0x4101)]; Please specify device type with the -d option.",
    });
  });

  test("a mandatory command that failed (Hyper-V virtual disk) is no data with smartctl's words", () => {
    // Built from smartmontools scsiprint.cpp (scsiGetDriveInfo: ">> Terminate command early due to bad
    // response to IEC mode page") and smartctl.cpp failuretest(): what `smartctl -a` prints for a
    // "Msft Virtual Disk" and exits 2 with. The identity lines are the RAID-volume capture's.
    const info = testdata("py-smart-megaraid-vd-intel-rs3dc080-temp0-smartctl7.1/smartctl-text.txt").split(
      "SMART support is:",
    )[0];
    const text = `${info}>> Terminate command early due to bad response to IEC mode page\nA mandatory SMART command failed: exiting. To continue, add one or more '-T permissive' options.\n`;
    const r = parseSmartctlText(text);
    expect(r).toMatchObject({
      kind: "no_data",
      message:
        ">> Terminate command early due to bad response to IEC mode page; A mandatory SMART command failed: exiting. To continue, add one or more '-T permissive' options.",
    });
  });

  test("one garbled attribute row is that row's error; the other rows and the health verdict stand", () => {
    const lines = testdata(HGST_SATA).split("\n");
    const index = lines.findIndex((l) => /^\s+5 Reallocated_Sector_Ct/.test(l));
    const whole = reading(lines.join("\n"));
    lines[index] = "  5 Reallocated_Sector_Ct   PO--CK   100   100   005    -";
    const r = reading(lines.join("\n"));
    expect(r.health).toBe("passed");
    expect(r.attributes).toEqual(whole.attributes.filter((a) => a.id !== 5));
    expect(r.reallocated_sectors).toBeNull();
    expect(r.item_errors).toEqual([
      {
        name: "5 Reallocated_Sector_Ct",
        error: {
          code: "PARSE_FAILED",
          message: `smartctl -iHA: not an attribute row (line ${index + 1})`,
          line: index + 1,
          excerpt: lines[index],
        },
      },
    ]);
  });
});
