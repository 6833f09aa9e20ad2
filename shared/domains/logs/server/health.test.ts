import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Provenance } from "@infrastructor/mcp/answer/provenance.ts";
import { kernelLogFindings, LOG_PREFILTER, type LogLine } from "./health.ts";

const P: Provenance = {
  device: "web1",
  domain: "logs",
  source: "stored",
  observed_at: null,
  age_s: null,
  stale: false,
};

async function lines(): Promise<LogLine[]> {
  const text = await Bun.file(join(import.meta.dir, "testdata/built__kernel_oom_and_io_errors.txt")).text();
  return text
    .trimEnd()
    .split("\n")
    .map((l) => ({ time: new Date(l.slice(0, 20)), message: l.slice(21) }));
}

describe("kernelLogFindings", () => {
  test("OOM kills count once per victim and name the processes; I/O errors per device with their kinds", async () => {
    const found = kernelLogFindings(P, await lines(), 24);
    expect(found.map((f) => [f.rule, f.what, f.magnitude])).toEqual([
      ["oom_kill", "OOM killer killed 3 processes: java x2, node", 3],
      ["kernel_io_errors", "kernel I/O errors on sdb: 4", 4],
      ["kernel_io_errors", "kernel I/O errors on nvme0: 2", 2],
      ["kernel_io_errors", "kernel I/O errors on ata3: 1", 1],
      ["kernel_io_errors", "kernel I/O errors on dm-0: 1", 1],
    ]);
    const oom = found[0];
    expect(oom?.evidence).toBe("3 OOM kills in the last 24 h, the last at 2026-12-02T05:02:40.000Z (java)");
    expect(found[1]?.evidence).toStartWith(
      "2 I/O error, 1 buffer I/O error, 1 EXT4-fs error in the last 24 h (2026-12-02T06:10:00.000Z to 2026-12-02T06:12:30.000Z); last: EXT4-fs error (device sdb1)",
    );
    expect(found.every((f) => f.severity === "warning")).toBe(true);
    expect(found[0]?.impact).toBe("service");
    expect(found[1]?.impact).toBe("data");
  });

  test("ordinary lines find nothing; the SQL prefilter lets every counted line through", async () => {
    const all = await lines();
    expect(kernelLogFindings(P, all.slice(-2), 24)).toEqual([]);
    const prefilter = new RegExp(LOG_PREFILTER);
    expect(all.filter((l) => prefilter.test(l.message))).toHaveLength(all.length - 2);
  });
});
