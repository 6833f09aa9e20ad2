import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { parseMeminfo } from "./parse-meminfo.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testcases", name)).text();

describe("parseMeminfo", () => {
  test("telegraf capture (has MemAvailable): used = MemTotal - MemAvailable, in bytes", async () => {
    const memory = parseMeminfo(await fixture("telegraf-proc-meminfo/proc-meminfo.txt"));
    expect(memory).toEqual({
      total_bytes: 16201888 * 1024,
      used_bytes: (16201888 - 14221924) * 1024,
      available_bytes: 14221924 * 1024,
      free_bytes: 1834660 * 1024,
      buffers_bytes: 2328512 * 1024,
      cached_bytes: 10074816 * 1024,
      swap_total_bytes: 4194300 * 1024,
      swap_used_bytes: (4194300 - 4186844) * 1024,
    });
  });

  test("node_exporter capture (no MemAvailable, old kernel): falls back to free + buffers + cached + SReclaimable", async () => {
    const memory = parseMeminfo(await fixture("node-exporter-proc/proc-meminfo.txt"));
    // MemFree 225472 + Buffers 22040 + Cached 930888 + SReclaimable 44772 = 1223172 kB.
    expect(memory.total_bytes).toBe(3831959552);
    expect(memory.available_bytes).toBe(1223172 * 1024);
    expect(memory.used_bytes).toBe((3742148 - 1223172) * 1024);
    expect(memory.swap_used_bytes).toBe((4194300 - 3155360) * 1024);
  });

  test.each([
    ["empty", ""],
    ["missing MemTotal", "MemFree: 1 kB\nBuffers: 1 kB\nCached: 1 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n"],
    ["not key-value", "MemTotal 100 kB\n"],
    ["unknown unit", "MemTotal: 100 MB\n"],
    ["negative", "MemTotal: -5 kB\n"],
  ])("garbage (%s) is PARSE_FAILED", (_, text) => {
    expect(() => parseMeminfo(text)).toThrow(expect.objectContaining({ code: ErrorCode.PARSE_FAILED }));
  });

  test("the telegraf capture doubled, or with MemFree cut mid-field, is PARSE_FAILED naming the line", async () => {
    const text = await fixture("telegraf-proc-meminfo/proc-meminfo.txt");
    const lines = text.split("\n").length - 1;
    const refusedAt = (damaged: string, line: number): void => {
      expect(() => parseMeminfo(damaged)).toThrow(
        expect.objectContaining({ code: ErrorCode.PARSE_FAILED, details: expect.objectContaining({ line }) }),
      );
    };
    refusedAt(text + text, lines + 1); // the second MemTotal
    refusedAt(text.replace(/^(MemFree:\s+\d+) kB$/m, "$1"), 2);
  });
});
