import type { PollResult } from "@infrastructor/agent/safe-collect.ts";
import { createSmartCollector } from "@infrastructor/domains/smart/agent/index.ts";
import { testdata } from "@infrastructor/domains/smart/agent/testing/captures.ts";
import { ScriptedExecutor, type ScriptedOutput } from "@infrastructor/lib/testing/scripted-executor.ts";
import type { SystemData } from "../../schema.ts";

/** Test support for the system tools: system history built on this machine's sample, smart polls over captures. */
const MIN = 60_000;
const HOUR = 60 * MIN;

/** This machine's sample with the cpu (and load, cpu/10) set: history with known highs. */
export function withCpu(d: SystemData, cpu: number): SystemData {
  if (d.cpu === null) throw new Error("the primed sample has cpu");
  return { ...d, cpu: { ...d.cpu, usage_pct: cpu }, load: { ...d.load, load_1: cpu / 10 } };
}

/** Every 5 min over the last 6 h (cpu 10, 95 two hours ago), hourly back to 29 days (20; 80 at 3 d, 70 at 20 d). */
export function history(now: number): { at: number; cpu: number }[] {
  const out: { at: number; cpu: number }[] = [];
  for (let h = 696; h >= 7; h--) out.push({ at: now - h * HOUR, cpu: h === 72 ? 80 : h === 480 ? 70 : 20 });
  for (let k = 71; k >= 1; k--) out.push({ at: now - k * 5 * MIN, cpu: k === 24 ? 95 : 10 });
  return out;
}

const WDC = "smartctl-exporter-wdc-wd20efrx-sata-hdd/smartctl-json.json";
/** The WD Red capture with its reallocated sector count raised: the same disk, a week worse (derived). */
export function wdc(count: number): [string, ScriptedOutput] {
  const json = JSON.parse(testdata(WDC));
  const row = json.ata_smart_attributes.table.find((a: { id: number }) => a.id === 5);
  row.raw = { string: String(count), value: count };
  return ["sat", { stdout: JSON.stringify(json), exitCode: 0 }];
}
export const failing: [string, ScriptedOutput] = [
  "sat",
  { stdout: testdata("scrutiny-smart-fail2-hitachi-failed-exit216/smartctl-json.json"), exitCode: 216 },
];
export const nvme: [string, ScriptedOutput] = [
  "nvme",
  { stdout: testdata("telegraf-smartctl-nvme-sabrent/smartctl-json.json"), exitCode: 0 },
];
export const ssd: [string, ScriptedOutput] = [
  "sat",
  { stdout: testdata("beszel-sda-sata-ssd-exit64/smartctl-json.json"), exitCode: 64 },
];
export const asleep: [string, ScriptedOutput] = [
  "sat",
  { stdout: testdata("handwritten-standby/smartctl-json.json"), exitCode: 2 },
];

/** The smart collector over these captured outputs, as one poll. */
export async function smartPoll(devices: Record<string, [string, ScriptedOutput]>): Promise<PollResult> {
  const scan = {
    json_format_version: [1, 0],
    smartctl: { version: [7, 4], exit_status: 0 },
    devices: Object.entries(devices).map(([name, [type]]) => ({ name, type })),
  };
  const executor = new ScriptedExecutor((argv) =>
    argv.includes("--scan-open")
      ? { stdout: JSON.stringify(scan), exitCode: 0 }
      : devices[argv.at(-1) ?? ""]?.[1],
  );
  const result = await createSmartCollector({ executor }).collect();
  if (result.errors.length > 0) throw new Error(JSON.stringify(result.errors));
  return result;
}
