import { describe, expect, test } from "bun:test";
import { SMART_EXIT_FLAGS, type SmartVerdict } from "../schema.ts";
import { decodeExitStatus } from "./exit-status.ts";
import { parseSmartctlJson } from "./parse-json.ts";
import { parseSmartctlText } from "./parse-text.ts";
import { DEVICE_JSON, DEVICE_TEXT, testdata } from "./testing/captures.ts";
import { toDrive } from "./to-drive.ts";

const REF = { device: "/dev/sda", type: "auto" };
const RANK: Record<SmartVerdict, number> = { ok: 0, warning: 1, failing: 2 };

/** The least verdict smartctl(8)'s exit bit demands (bits 0 and 1 come without a reading). */
function least(bit: number, smartSupport: string | null | undefined): SmartVerdict {
  if (bit === 3 || bit === 4) return "failing";
  if (bit === 2) return smartSupport === "unavailable" ? "ok" : "warning";
  return bit >= 5 ? "warning" : "ok";
}

const parseFile = (file: string) =>
  file.endsWith(".json") ? parseSmartctlJson(testdata(file)) : parseSmartctlText(testdata(file));

describe("smartctl's exit-status bits are respected on every capture", () => {
  test("each capture's own exit status: flags decoded bit by bit, no-data drives are errors", () => {
    for (const file of [...DEVICE_JSON, ...DEVICE_TEXT]) {
      const result = parseFile(file);
      const drive = toDrive(REF, result, null);
      const status = result.exit_status;
      if (drive.ok && drive.power_mode === "standby") continue;
      expect({ file, flags: drive.exit_flags }).toEqual({
        file,
        flags: status === null ? [] : decodeExitStatus(status),
      });
      if (result.kind === "no_data") {
        expect({ file, ok: drive.ok }).toEqual({ file, ok: false });
        const openFailed = status !== null && (status & 2) !== 0;
        if (!drive.ok) expect(drive.error.code).toBe(openFailed ? "READ_FAILED" : "COMMAND_FAILED");
      }
    }
  });

  test("every single bit on every reading gives at least the verdict that bit means", () => {
    let checked = 0;
    for (const file of [...DEVICE_JSON, ...DEVICE_TEXT]) {
      const result = parseFile(file);
      if (result.kind !== "reading") continue;
      for (const [bit, flag] of SMART_EXIT_FLAGS.entries()) {
        const drive = toDrive(REF, result, 1 << bit);
        expect(drive.ok === true ? [] : drive.exit_flags).toEqual(bit <= 1 ? [flag] : []);
        if (!drive.ok) {
          // Bits 0 and 1: smartctl did not read the device; its fields are not judged.
          expect(drive.error.code).toBe(bit === 1 ? "READ_FAILED" : "COMMAND_FAILED");
          checked++;
          continue;
        }
        if (drive.power_mode !== "active") throw new Error(`${file}: expected a reading`);
        expect(drive.exit_flags).toEqual([flag]);
        const want = least(bit, result.reading.smart_support);
        expect({ file, bit, atLeast: RANK[drive.verdict] >= RANK[want] }).toEqual({
          file,
          bit,
          atLeast: true,
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(20 * 8);
  });

  test("the run's exit status wins over the JSON's (text carries none)", () => {
    const result = parseFile("beszel-nvme0/smartctl-json.json");
    const drive = toDrive(REF, result, 8);
    expect(drive).toMatchObject({ exit_status: 8, exit_flags: ["disk_failing"], verdict: "failing" });
  });
});
