import { describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseCpuinfo } from "@infrastructor/domains/inventory/agent/parse-cpuinfo.ts";
import {
  concatenations,
  cutsAtLineEnds,
  cutsMidLine,
  expectRefused,
  expectRefusedOrSame,
} from "@infrastructor/lib/testing/lying-input.ts";
import { parseDiskstats } from "./parse-diskstats.ts";
import { parseLoadavg } from "./parse-loadavg.ts";
import { parseMeminfo } from "./parse-meminfo.ts";
import { parseMounts } from "./parse-mounts.ts";
import { parseNetDev } from "./parse-net-dev.ts";
import { parseStat } from "./parse-stat.ts";
import { parseUptime } from "./parse-uptime.ts";

/**
 * /proc inputs that are not what they claim, made from every real capture of the file: cut at every line
 * end, cut in the middle of every line, two dumps run together. Each is refused with PARSE_FAILED (naming
 * the line where one line is to blame), or, where a cut at a line end cannot be told from a whole file,
 * read exactly as the whole capture: never accepted with other totals.
 */
const read = (dir: string, name: string): Promise<string> =>
  readFile(join(import.meta.dir, dir, name), "utf8");
const system = (name: string): Promise<string> => read("testcases", name);
const inventory = (name: string): Promise<string> => read("../../inventory/agent/testcases", name);

const STAT = ["node-exporter-proc/proc-stat.txt", "local-dev-vm/proc-stat.txt"];
const MEMINFO = [
  "node-exporter-proc/proc-meminfo.txt",
  "telegraf-proc-meminfo/proc-meminfo.txt",
  "local-dev-vm/proc-meminfo.txt",
];
const ONE_LINE = [
  ["node-exporter-proc/proc-loadavg.txt", parseLoadavg],
  ["local-dev-vm/proc-loadavg.txt", parseLoadavg],
  ["handwritten-proc-uptime/proc-uptime.txt", parseUptime],
  ["local-dev-vm/proc-uptime.txt", parseUptime],
] as const;

describe("keyed /proc files: a cut or doubled file is refused", () => {
  test.each(STAT)("/proc/stat %s: every cut and both concatenations are PARSE_FAILED", async (name) => {
    const text = await system(name);
    expect(parseStat(text).cores).toBeGreaterThan(0);
    const lines = text.split("\n").length - 1;
    const variants = [...cutsAtLineEnds(text), ...cutsMidLine(text), ...concatenations(text)];
    expect(variants.length).toBeGreaterThanOrEqual(2 * lines);
    for (const variant of variants) expectRefused(parseStat, variant, name);
    // The doubled dump is refused at the first repeated line: the second `cpu`.
    expectRefused(parseStat, { label: "doubled", text: text + text, line: lines + 1 }, name);
  });

  test.each(MEMINFO)(
    "/proc/meminfo %s: cut mid-line or doubled is refused; a cut at a line end never changes a total",
    async (name) => {
      const text = await system(name);
      const whole = parseMeminfo(text);
      for (const variant of [...cutsMidLine(text), ...concatenations(text)])
        expectRefused(parseMeminfo, variant, name);
      for (const variant of cutsAtLineEnds(text)) expectRefusedOrSame(parseMeminfo, variant, name, whole);
    },
  );

  test.each(ONE_LINE)("one-line file %s: cut or doubled is refused, naming the line", async (name, parse) => {
    const text = await system(name);
    expect(parse(text)).toBeTruthy();
    for (const variant of cutsMidLine(text)) expectRefused(parse, variant, name);
    expectRefused(parse, { label: "doubled", text: text + text, line: 2 }, name);
  });

  test.each(["local-dev-vm/proc-cpuinfo.txt", "handwritten-proc-cpuinfo-arm64-rpi4/proc-cpuinfo.txt"])(
    "/proc/cpuinfo %s: cut mid-line or doubled is refused",
    async (name) => {
      const text = await inventory(name);
      parseCpuinfo(text);
      for (const variant of [...cutsMidLine(text), ...concatenations(text)])
        expectRefused(parseCpuinfo, variant, name);
    },
  );

  test("x86 /proc/cpuinfo (this machine): a cut at any line end is refused or reads the same cores", async () => {
    const name = "local-dev-vm/proc-cpuinfo.txt";
    const text = await inventory(name);
    const whole = parseCpuinfo(text);
    for (const variant of cutsAtLineEnds(text)) expectRefusedOrSame(parseCpuinfo, variant, name, whole);
  });
});

/** Lists: a cut at a line end is a shorter list of the same items (the other devices are not wrong). */
const LISTS = [
  ["node-exporter-proc/proc-diskstats.txt", (t: string) => parseDiskstats(t)],
  ["local-dev-vm/proc-diskstats.txt", (t: string) => parseDiskstats(t)],
  ["jc-proc-net-dev/proc-net-dev.txt", parseNetDev],
  ["local-dev-vm/proc-net-dev.txt", parseNetDev],
  ["jc-ubuntu1804/mounts.txt", parseMounts],
  ["handwritten-proc-mounts-escapes/mounts.txt", parseMounts],
  ["local-dev-vm/mounts.txt", parseMounts],
] as const;

describe("list /proc files: cut mid-line or doubled is refused as a whole", () => {
  test.each(LISTS)("%s", async (name, parse) => {
    const text = await system(name);
    const whole = parse(text);
    expect(whole.errors).toEqual([]);
    for (const variant of [...cutsMidLine(text), ...concatenations(text)])
      expectRefused(parse, variant, name);
    for (const variant of cutsAtLineEnds(text)) {
      let got: { items: unknown[]; errors: unknown[] } | null = null;
      try {
        got = parse(variant.text);
      } catch {
        continue; // refused is always acceptable
      }
      expect({ variant: variant.label, errors: got.errors, items: got.items }).toEqual({
        variant: variant.label,
        errors: [],
        items: whole.items.slice(0, got.items.length),
      });
    }
  });
});
