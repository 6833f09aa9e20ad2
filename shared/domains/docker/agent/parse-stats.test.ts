import { describe, expect, test } from "bun:test";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { DockerStatsSchema } from "../schema.ts";
import { cpuPercent, parseStats } from "./parse-stats.ts";
import { fixture } from "./testing/captures.ts";

describe("parseStats", () => {
  test.each(["telegraf-9bc6/stats.json", "telegraf-e8a7/stats.json"])(
    "%s (trimmed): cpu 0 %%, no memory usage, blkio entries without value count 0",
    async (name) => {
      const { stats, cpu } = parseStats(await fixture(name));
      expect(stats).toEqual({
        ok: true,
        // total_usage did not move between precpu and cpu; system did: 0 %.
        cpu_pct: 0,
        mem_used_bytes: null,
        mem_limit_bytes: 18935443456,
        net_rx_bytes: null,
        net_tx_bytes: null,
        block_read_bytes: 753664,
        block_write_bytes: 0,
        pids: null,
      });
      expect(cpu).toEqual({ total_ns: 20298847, system_ns: 24052607520000000, online_cpus: 8 });
    },
  );

  test("beszel: memory is usage minus inactive_file, networks summed, no precpu: no cpu %", async () => {
    const { stats, cpu } = parseStats(await fixture("beszel-container-stats/stats.json"));
    expect(stats).toMatchObject({
      cpu_pct: null,
      mem_used_bytes: 507400192 - 165130240,
      mem_limit_bytes: null,
      net_rx_bytes: 537029455 + 6241,
      net_tx_bytes: 20376558 + 2003766,
      block_read_bytes: null,
    });
    expect(cpu).toEqual({ total_ns: 312055276000, system_ns: 1366399830000000, online_cpus: 1 });
  });

  test("beszel with a previous reading of the collector's own: cpu % from the two", async () => {
    const previous = { total_ns: 312055276000 - 2e9, system_ns: 1366399830000000 - 8e9, online_cpus: 1 };
    const { stats } = parseStats(await fixture("beszel-container-stats/stats.json"), previous);
    expect(stats.cpu_pct).toBeCloseTo(25, 6);
  });

  test("podman: empty precpu (no cpu % on its own), network `network`, pids", async () => {
    const { stats, cpu } = parseStats(await fixture("derived-podman431/stats.json"));
    expect(stats).toEqual({
      ok: true,
      cpu_pct: null,
      mem_used_bytes: 212992,
      mem_limit_bytes: 25276510208,
      net_rx_bytes: 752,
      net_tx_bytes: 2156,
      block_read_bytes: 0,
      block_write_bytes: 0,
      pids: 1,
    });
    expect(cpu?.online_cpus).toBe(2);
  });

  test("docker on cgroup v2 (handwritten): cpu % from precpu x online cpus, lowercase blkio", async () => {
    const { stats } = parseStats(await fixture("handwritten-stats-cgroup2/stats.json"));
    // (2.5e9 - 2.4e9) / (1000.2e9 - 1000e9) * 4 * 100
    expect(stats.cpu_pct).toBeCloseTo(200, 6);
    expect(stats).toMatchObject({
      mem_used_bytes: 73400320 - 19922944,
      mem_limit_bytes: 536870912,
      block_read_bytes: 1048576 + 2048,
      block_write_bytes: 4096,
      pids: 9,
    });
    expect(DockerStatsSchema.safeParse(stats).success).toBe(true);
  });

  test("a wrapped-around usage_in_usermode (podman) and an unlimited memory limit change nothing", () => {
    // As raw text: these numbers are beyond what a JS number literal holds exactly, as on the wire.
    const text =
      '{"cpu_stats": {"cpu_usage": {"total_usage": 10, "usage_in_usermode": 18446744073709551000}, "system_cpu_usage": 100},' +
      ' "memory_stats": {"usage": 100, "limit": 9223372036854771712}}';
    expect(parseStats(text).stats).toMatchObject({ mem_used_bytes: 100, mem_limit_bytes: null });
  });

  test("counters that went backwards (restarted container) give no cpu %", () => {
    expect(
      cpuPercent(
        { total_ns: 100, system_ns: 10, online_cpus: 1 },
        { total_ns: 5, system_ns: 20, online_cpus: 1 },
      ),
    ).toBeNull();
  });

  test.each([
    ["truncated", '{\n  "cpu_stats": {\n    "cpu_usage": {\n      "total_usage": 31', 4],
    ["memory usage a string", '{"memory_stats": {"usage": "lots"}}', undefined],
  ])("garbage (%s) is PARSE_FAILED", (_, text, line) => {
    expect(() => parseStats(text)).toThrow(
      expect.objectContaining({
        code: ErrorCode.PARSE_FAILED,
        details: expect.objectContaining(line === undefined ? {} : { line }),
      }),
    );
  });
});
