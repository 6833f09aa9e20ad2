import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expectItemIsolation, splitLines } from "@infrastructor/lib/testing/item-isolation.ts";
import { parseDf } from "./parse-df.ts";
import { parseDiskstats } from "./parse-diskstats.ts";
import { type HwmonChip, parseHwmon } from "./parse-hwmon.ts";
import { type MountEntry, parseMounts } from "./parse-mounts.ts";
import { parseNetDev } from "./parse-net-dev.ts";

/**
 * Per-item isolation over every real capture of the system domain's lists: damaging one row (cut in
 * half, numbers turned to words, a field dropped) leaves every other row parsed exactly as before.
 * (the shared fixture collection, ../shared/fixtures/system, holds the same files byte for byte as testdata/, plus none more.)
 */
const testdata = (path: string): string => readFileSync(join(import.meta.dir, "testcases", path), "utf8");

/** The kernel's own escaping, so a key can be found in the raw line it came from. */
const kernelEscape = (field: string): string =>
  field.replace(/[ \t\n\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, "0")}`);

const CASES = [
  ...["node-exporter-proc/proc-diskstats.txt", "local-dev-vm/proc-diskstats.txt"].map((name) => ({
    name,
    split: splitLines(0),
    parse: parseDiskstats,
    key: (d: { name: string }) => d.name,
  })),
  ...["jc-proc-net-dev/proc-net-dev.txt", "local-dev-vm/proc-net-dev.txt"].map((name) => ({
    name,
    split: splitLines(2),
    parse: parseNetDev,
    key: (n: { interface: string }) => n.interface,
  })),
  ...[
    "jc-ubuntu1804/mounts.txt",
    "handwritten-proc-mounts-escapes/mounts.txt",
    "local-dev-vm/mounts.txt",
  ].map((name) => ({
    name,
    split: splitLines(0),
    parse: parseMounts,
    key: (m: MountEntry) => `${kernelEscape(m.device)} ${kernelEscape(m.mountpoint)}`,
  })),
  ...["jc-ubuntu1804/df.txt", "jc-df-h-centos77/df.txt", "jc-df-long-filesystem/df.txt"].map((name) => ({
    name,
    split: splitLines(1),
    parse: parseDf,
    key: (e: { mountpoint: string }) => e.mountpoint,
  })),
] as const;

describe("one unreadable row never hides the others", () => {
  test.each(CASES.map((c) => [c.name, c] as const))("%s", (name, c) => {
    const checked = expectItemIsolation({
      label: name,
      text: testdata(name),
      split: c.split,
      parse: c.parse as (text: string) => { items: unknown[]; errors: [] },
      key: c.key as (item: unknown) => string,
    });
    expect(checked).toBeGreaterThan(0);
  });

  test.each(["node_exporter__sys_class_hwmon", "telegraf__sys_class_hwmon_general/sys/class/hwmon"])(
    "hwmon %s: a sensor whose reading is garbage is a problem; every other sensor is the same",
    (dir) => {
      const root = join(import.meta.dir, "testdata", dir);
      const chips: HwmonChip[] = readdirSync(root).map((chip) => ({
        dir: chip,
        files: new Map(
          readdirSync(join(root, chip)).map((f) => [f, readFileSync(join(root, chip, f), "utf8").trim()]),
        ),
      }));
      const whole = parseHwmon(chips);
      expect(whole.problems).toEqual([]);
      let checked = 0;
      for (const [c, chip] of chips.entries()) {
        for (const file of chip.files.keys()) {
          if (!/^temp\d+_(input|max|crit)$/.test(file)) continue;
          for (const garbage of ["", "x9z", "12.5"]) {
            const damaged = chips.map((other, i) =>
              i === c ? { ...other, files: new Map([...other.files, [file, garbage]]) } : other,
            );
            const got = parseHwmon(damaged);
            expect(got.problems).toHaveLength(1);
            const hit = got.problems[0]?.sensor;
            expect(got.temperatures).toEqual(whole.temperatures.filter((t) => t.sensor !== hit));
            checked += 1;
          }
        }
      }
      expect(checked).toBeGreaterThan(0);
    },
  );
});
