import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CollectResult } from "@infrastructor/lib/collect/collector.ts";
import { type ScriptedAnswer, ScriptedExecutor } from "@infrastructor/lib/testing/scripted-executor.ts";
import { createUpsCollector } from "../index.ts";

/** Test support: one capture of testcases/, named `<case>/<file>`. */
export function upsCapture(name: string): string {
  return readFileSync(join(import.meta.dir, "..", "testcases", name), "utf8");
}

/** A rack of captured units: `upsc -l` lists them, each `upsc NAME` prints its capture. */
export const RACK = {
  cp900: "cyberpower-cp900epfclcd/upsc.txt",
  eaton5sc: "eaton-5sc-2200i-rt/upsc.txt",
  evolution: "mge-evolution-500-on-battery/upsc.txt",
} as const;

/** The rack as a script, plus `dead` whose driver is not running (upsc's real stderr and exit). */
export function rackScript(units: Record<string, string> = RACK): Record<string, ScriptedAnswer> {
  const script: Record<string, ScriptedAnswer> = {
    "upsc -l": { exitCode: 0, stdout: `${[...Object.keys(units), "dead"].join("\n")}\n` },
    "upsc dead": {
      exitCode: 1,
      stderr: "Init SSL without certificate database\nError: Driver not connected\n",
    },
  };
  for (const [name, file] of Object.entries(units)) {
    script[`upsc ${name}`] = { exitCode: 0, stdout: upsCapture(file) };
  }
  return script;
}

/** One poll of the rack: three units and one item error (`dead`). */
export async function collectRack(): Promise<CollectResult<"ups">> {
  return createUpsCollector({ executor: new ScriptedExecutor(rackScript()) }).collect();
}
