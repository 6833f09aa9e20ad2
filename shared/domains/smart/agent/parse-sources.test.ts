import { expect, test } from "bun:test";
import { PARSE_SOURCES } from "@infrastructor/agent/parse-sources.ts";
import { SMART_PARSE_SOURCES } from "./parse-sources.ts";
import { testdata } from "./testing/captures.ts";

test("agent parse smart: every source is registered and gives the drive as it would be sent", () => {
  expect(PARSE_SOURCES.smart).toBe(SMART_PARSE_SOURCES);
  expect(Object.keys(SMART_PARSE_SOURCES).sort()).toEqual(["scan", "smartctl-json", "smartctl-text"]);
  const json = SMART_PARSE_SOURCES["smartctl-json"]?.parse(
    testdata("scrutiny-smart-megaraid0/smartctl-json.json"),
  );
  expect(json).toMatchObject({
    smartctl_version: "7.1",
    drive: {
      device: "/dev/sda",
      type: "sat+megaraid,0",
      verdict: "warning",
      exit_flags: ["smart_command_failed"],
    },
  });
  const text = SMART_PARSE_SOURCES["smartctl-text"]?.parse(
    testdata("telegraf-smartctl-text-standby-unraid/smartctl-text.txt"),
  );
  expect(text).toMatchObject({ smartctl_version: "7.4", drive: { power_mode: "standby" } });
  expect(SMART_PARSE_SOURCES.scan?.parse(testdata("beszel-scan/scan.json"))).toMatchObject({
    version: "7.5",
  });
});

test('smartctl-json takes the device from the top-level `device` object, not the first "name"', () => {
  // smartctl_exporter's captures sort keys: `ata_smart_attributes` (with its "name"s) comes first.
  const parse = SMART_PARSE_SOURCES["smartctl-json"]?.parse;
  expect(parse?.(testdata("smartctl-exporter-wdc-wd20efrx-sata-hdd/smartctl-json.json"))).toMatchObject({
    drive: { device: "/dev/sdb", type: "sat", ok: true },
  });
  expect(
    parse?.(testdata("smartctl-exporter-megaraid0-toshiba-al15seb24eqy-sas/smartctl-json.json")),
  ).toMatchObject({
    drive: { device: "/dev/bus/0", type: "megaraid,0", ok: true, verdict: "ok" },
  });
  // No device object (smartctl refused the device): nothing is guessed from elsewhere.
  expect(parse?.(testdata("built-usb-unknown-bridge-smartctl7.3-exit1/smartctl-json.json"))).toMatchObject({
    drive: { device: "(stdin)", type: "auto", ok: false, error: { code: "COMMAND_FAILED" } },
  });
});
