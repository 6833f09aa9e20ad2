import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type HwmonChip, parseHwmon } from "./parse-hwmon.ts";

/** Loads a captured hwmon class directory the way read-hwmon.ts hands it to the parser. */
function loadChips(classDir: string, rename: Record<string, string> = {}): HwmonChip[] {
  const root = join(import.meta.dir, "testdata", classDir);
  return readdirSync(root).map((dir) => ({
    dir: rename[dir] ?? dir,
    files: new Map(
      readdirSync(join(root, dir)).map((f) => [f, readFileSync(join(root, dir, f), "utf8").trim()]),
    ),
  }));
}

describe("parseHwmon", () => {
  test("node_exporter capture: coretemp labels, a chip without temperatures, a chip without a name", () => {
    const { temperatures, problems } = parseHwmon(loadChips("node_exporter__sys_class_hwmon"));
    expect(problems).toEqual([]);
    expect(temperatures).toEqual([
      { sensor: "coretemp/Physical id 0", temp_c: 55, high_c: 84, critical_c: 100 },
      { sensor: "coretemp/Core 0", temp_c: 54, high_c: 84, critical_c: 100 },
      { sensor: "coretemp/Core 1", temp_c: 52, high_c: 84, critical_c: 100 },
      { sensor: "coretemp/Core 2", temp_c: 53, high_c: 84, critical_c: 100 },
      { sensor: "coretemp/Core 3", temp_c: 50, high_c: 84, critical_c: 100 },
      // hwmon4 has no `name` and labels both inputs "foosensor": the directory and tempN disambiguate.
      { sensor: "hwmon4/foosensor@temp1", temp_c: 55, high_c: 100, critical_c: 100 },
      { sensor: "hwmon4/foosensor@temp2", temp_c: 54, high_c: 100, critical_c: 100 },
    ]);
  });

  test("telegraf capture: NVMe 'no limit' sentinel 65261.85 becomes null; unlabelled limits are null", () => {
    const { temperatures } = parseHwmon(loadChips("telegraf__sys_class_hwmon_general/sys/class/hwmon"));
    expect(temperatures).toEqual([
      { sensor: "nvme/Composite", temp_c: 35.85, high_c: 81.85, critical_c: 84.85 },
      { sensor: "nvme/Sensor 1", temp_c: 35.85, high_c: null, critical_c: null },
      { sensor: "nvme/Sensor 2", temp_c: 38.85, high_c: null, critical_c: null },
      { sensor: "k10temp/Tctl", temp_c: 33.25, high_c: null, critical_c: null },
      { sensor: "k10temp/Tccd1", temp_c: 33.25, high_c: null, critical_c: null },
    ]);
  });

  test("two chips with one name (derived: the captured nvme chip twice) get @hwmonN, both of them", () => {
    const chips = loadChips("telegraf__sys_class_hwmon_general/sys/class/hwmon");
    const nvme = chips.find((chip) => chip.dir === "hwmon0");
    if (nvme === undefined) throw new Error("fixture lacks hwmon0");
    const { temperatures } = parseHwmon([...chips, { ...nvme, dir: "hwmon2" }]);
    const names = temperatures.map((t) => t.sensor);
    expect(names.filter((n) => n.endsWith("/Composite"))).toEqual([
      "nvme@hwmon0/Composite",
      "nvme@hwmon2/Composite",
    ]);
    expect(names).toContain("k10temp/Tctl");
    expect(new Set(names).size).toBe(names.length);
  });

  test("unlabelled inputs are named tempN; garbage and impossible readings are problems, not data", () => {
    const files = new Map([
      ["name", "acpitz"],
      ["temp1_input", "27800"],
      ["temp2_input", "not a number"],
      ["temp3_input", "2000000"],
      ["temp4_input", "-5000"],
    ]);
    const { temperatures, problems } = parseHwmon([{ dir: "hwmon0", files }]);
    expect(temperatures).toEqual([
      { sensor: "acpitz/temp1", temp_c: 27.8, high_c: null, critical_c: null },
      { sensor: "acpitz/temp4", temp_c: -5, high_c: null, critical_c: null },
    ]);
    expect(problems.map((p) => p.sensor)).toEqual(["acpitz/temp2", "acpitz/temp3"]);
  });
});
