import { describe, expect, test } from "bun:test";
import { textDamages } from "@infrastructor/lib/testing/item-isolation.ts";
import { ScriptedExecutor, type ScriptedOutput } from "@infrastructor/lib/testing/scripted-executor.ts";
import { SmartDataSchema, type SmartDrive } from "../schema.ts";
import { createSmartCollector } from "./index.ts";
import { testdata } from "./testing/captures.ts";

/** Six real drives of every kind behind one scan: SATA, NVMe, failing, megaraid, QEMU, USB bridge. */
const DRIVES: { name: string; type: string; file: string; exit: number }[] = [
  { name: "/dev/sda", type: "sat", file: "beszel-sda-sata-ssd-exit64/smartctl-json.json", exit: 64 },
  { name: "/dev/nvme0", type: "nvme", file: "beszel-nvme0/smartctl-json.json", exit: 0 },
  {
    name: "/dev/sdb",
    type: "sat",
    file: "scrutiny-smart-fail2-hitachi-failed-exit216/smartctl-json.json",
    exit: 216,
  },
  {
    name: "/dev/bus/0",
    type: "megaraid,0",
    file: "smartctl-exporter-megaraid0-toshiba-al15seb24eqy-sas/smartctl-json.json",
    exit: 0,
  },
  {
    name: "/dev/sdc",
    type: "scsi",
    file: "built-qemu-harddisk-scsi-smartctl7.3-exit4/smartctl-json.json",
    exit: 4,
  },
  { name: "/dev/sdd", type: "sat", file: "telegraf-smartctl-usb-sat-sandisk/smartctl-json.json", exit: 0 },
];

async function collect(outputs: readonly string[]): Promise<SmartDrive[]> {
  const scan: ScriptedOutput = {
    stdout: JSON.stringify({
      smartctl: { version: [7, 4], exit_status: 0 },
      devices: DRIVES.map((d) => ({ name: d.name, type: d.type })),
    }),
    exitCode: 0,
  };
  const executor = new ScriptedExecutor((argv) => {
    if (argv.includes("--scan-open")) return scan;
    const i = DRIVES.findIndex((d) => d.name === argv.at(-1) && d.type === argv.at(-2));
    const drive = DRIVES[i];
    return drive === undefined ? undefined : { stdout: outputs[i] ?? "", exitCode: drive.exit };
  });
  const { data, errors } = await createSmartCollector({ executor }).collect();
  expect(errors).toEqual([]);
  expect(SmartDataSchema.parse(data)).toEqual(data as never);
  return data?.drives ?? [];
}

describe("one drive whose output is unreadable is that drive's item error; the others arrive", () => {
  test("every damage of every drive's output leaves the other drives exactly as they were", async () => {
    const outputs = DRIVES.map((d) => testdata(d.file));
    const baseline = await collect(outputs);
    expect(baseline.map((d) => [d.device, d.ok])).toEqual(DRIVES.map((d) => [d.name, true]));
    let checked = 0;
    let failedWithLine = 0;
    for (const [index, output] of outputs.entries()) {
      for (const damaged of textDamages(output)) {
        const drives = await collect(outputs.map((o, i) => (i === index ? damaged : o)));
        expect(drives.filter((_, i) => i !== index)).toEqual(baseline.filter((_, i) => i !== index));
        const hit = drives[index];
        expect(hit?.device).toBe(DRIVES[index]?.name);
        if (hit?.ok === false && hit.error.line !== undefined) failedWithLine++;
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(DRIVES.length * 2);
    // A cut-off output is PARSE_FAILED naming the line where it stops, for every drive.
    expect(failedWithLine).toBeGreaterThanOrEqual(DRIVES.length);
  }, 240_000);
});

describe("one unreadable scan entry is an item error beside the drives", () => {
  test("the other scanned drives are read; the entry is named in data.item_errors", async () => {
    const scan = {
      smartctl: { version: [7, 4], exit_status: 0 },
      devices: [
        { name: "/dev/sda", type: "sat" },
        { name: "/dev/sdz" },
        { name: "/dev/nvme0", type: "nvme" },
      ],
    };
    const outputs: Record<string, string> = {
      "/dev/sda": testdata("beszel-sda-sata-ssd-exit64/smartctl-json.json"),
      "/dev/nvme0": testdata("beszel-nvme0/smartctl-json.json"),
    };
    const executor = new ScriptedExecutor((argv) =>
      argv.includes("--scan-open")
        ? { stdout: JSON.stringify(scan), exitCode: 0 }
        : { stdout: outputs[argv.at(-1) ?? ""] ?? "", exitCode: argv.at(-1) === "/dev/sda" ? 64 : 0 },
    );
    const { data, errors } = await createSmartCollector({ executor }).collect();
    expect(errors).toEqual([]);
    expect(SmartDataSchema.parse(data)).toEqual(data as never);
    expect(data?.drives.map((d) => [d.device, d.ok])).toEqual([
      ["/dev/sda", true],
      ["/dev/nvme0", true],
    ]);
    expect(data?.item_errors).toMatchObject([
      { name: "/dev/sdz", error: { code: "PARSE_FAILED", line: null } },
    ]);
  });
});
