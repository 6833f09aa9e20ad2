import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { parseStat } from "./parse-stat.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testcases", name)).text();

describe("parseStat", () => {
  test("node_exporter capture: aggregate cpu line, 8 cores, procs", async () => {
    const stat = parseStat(await fixture("node-exporter-proc/proc-stat.txt"));
    // "cpu  301854 612 111922 8979004 3552 2 3944 0 44 36": guest (44) and guest_nice (36) are dropped.
    expect(stat.cpu).toEqual({
      user: 301854,
      nice: 612,
      system: 111922,
      idle: 8979004,
      iowait: 3552,
      irq: 2,
      softirq: 3944,
      steal: 0,
    });
    expect([stat.cores, stat.procs_running, stat.procs_blocked]).toEqual([8, 2, 0]);
  });

  test("a 2.4-era cpu line with only 4 modes leaves the newer ones at 0", () => {
    const stat = parseStat(
      "cpu 10 20 30 40\ncpu0 10 20 30 40\nintr 5\nctxt 6\nbtime 7\nprocesses 8\nprocs_running 1\nprocs_blocked 3\nsoftirq 9\n",
    );
    expect(stat.cpu).toEqual({
      user: 10,
      nice: 20,
      system: 30,
      idle: 40,
      iowait: 0,
      irq: 0,
      softirq: 0,
      steal: 0,
    });
    expect(stat.procs_blocked).toBe(3);
  });

  test.each([
    ["empty", ""],
    ["html", "<html><body>502 Bad Gateway</body></html>"],
    ["no per-cpu lines", "cpu 1 2 3 4\nprocs_running 1\nprocs_blocked 0\n"],
    ["non-numeric field", "cpu 1 2 x 4\ncpu0 1 2 3 4\nprocs_running 1\nprocs_blocked 0\n"],
    ["no procs lines", "cpu 1 2 3 4\ncpu0 1 2 3 4\n"],
  ])("garbage (%s) is PARSE_FAILED", (_, text) => {
    expect(() => parseStat(text)).toThrow(expect.objectContaining({ code: ErrorCode.PARSE_FAILED }));
  });
});
