import { expect, test } from "bun:test";
import { RowBuffers } from "@infrastructor/collector/ingest/row-buffers.ts";
import { parseSmartctlJson } from "../agent/parse-json.ts";
import { testdata } from "../agent/testing/captures.ts";
import { toDrive } from "../agent/to-drive.ts";
import type { SmartData } from "../schema.ts";
import { addSmartRows, SMART_TABLES, smartWriter } from "./writer.ts";

const at = new Date("2026-11-25T10:00:00.000Z");

function sample(): SmartData {
  const drive = (device: string, type: string, file: string, exit: number) =>
    toDrive({ device, type }, parseSmartctlJson(testdata(file)), exit);
  return {
    smartctl_version: "7.4",
    format: "json",
    drives: [
      drive("/dev/sda", "sat", "scrutiny-smart-fail2-hitachi-failed-exit216/smartctl-json.json", 216),
      drive("/dev/nvme0", "nvme", "telegraf-smartctl-nvme-sabrent/smartctl-json.json", 0),
      drive("/dev/sdb", "scsi", "smartctl-exporter-seagate-st373453lc-scsi/smartctl-json.json", 0),
      { device: "/dev/sdc", type: "sat", ok: true, power_mode: "standby" },
      drive("/dev/sdd", "sat", "scrutiny-smart-fail-exit2-open-failed/smartctl-json.json", 2),
    ],
  };
}

test("one smart_metrics row per read disk, every column in order, NULL where the protocol has none", () => {
  const out = new RowBuffers();
  addSmartRows(out, 42, at, sample());
  expect(out.rowCount()).toBe(3);
  expect(smartWriter.rowCount(sample())).toBe(3);
  const columns = SMART_TABLES.smart_metrics.columns as readonly string[];
  const rows = out
    .copyData("smart_metrics")
    .toString()
    .split("\n")
    .filter(Boolean)
    .map((line) => Object.fromEntries(line.split("\t").map((v, i) => [columns[i], v])));
  expect(rows.map((r) => Object.keys(r).length)).toEqual([columns.length, columns.length, columns.length]);
  expect(rows[0]).toMatchObject({
    time: "2026-11-25T10:00:00.000Z",
    device_id: "42",
    drive_id: "Hitachi HDS721050DLE630:MSK423Y20S3HBC",
    device: "/dev/sda",
    reallocated_sectors: "1975",
    pending_sectors: "8",
    percentage_used: "\\N",
  });
  expect(rows[1]).toMatchObject({
    device: "/dev/nvme0",
    percentage_used: "4",
    available_spare_pct: "100",
    media_errors: "0",
    reallocated_sectors: "\\N",
  });
  expect(rows[2]).toMatchObject({ device: "/dev/sdb", grown_defects: "260", power_cycles: "\\N" });
});

test("smart_metrics keeps a year, and says so to the retention job", () => {
  expect(SMART_TABLES.smart_metrics.retentionMs).toBe(365 * 86_400_000);
});
