import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { DiskCounters } from "./parse-diskstats.ts";
import { parseDiskstats } from "./parse-diskstats.ts";
import type { NetCounters } from "./parse-net-dev.ts";
import { parseNetDev } from "./parse-net-dev.ts";
import { parseStat } from "./parse-stat.ts";
import { counterDelta, cpuUsage, diskRates, networkRates } from "./rates.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testcases", name)).text();

describe("counterDelta", () => {
  test("forward: the difference; backwards (reset): the current value, never negative", () => {
    expect([counterDelta(100, 250), counterDelta(100, 100), counterDelta(4294967000, 500)]).toEqual([
      150, 0, 500,
    ]);
  });
});

describe("cpuUsage", () => {
  test("shares of jiffies between the captured line and a derived later one", async () => {
    const before = parseStat(await fixture("node-exporter-proc/proc-stat.txt")).cpu;
    // Derived from the capture: +600 user, +200 system, +1000 idle, +100 iowait, +100 softirq = 2000 jiffies.
    const after = {
      ...before,
      user: before.user + 600,
      system: before.system + 200,
      idle: before.idle + 1000,
      iowait: before.iowait + 100,
      softirq: before.softirq + 100,
    };
    expect(cpuUsage(before, after, 8)).toEqual({
      cores: 8,
      usage_pct: 45,
      user_pct: 30,
      nice_pct: 0,
      system_pct: 10,
      idle_pct: 50,
      iowait_pct: 5,
      irq_pct: 0,
      softirq_pct: 5,
      steal_pct: 0,
    });
  });

  test("iowait going backwards (NO_HZ kernels) counts as 0, not as a reset", () => {
    const before = { user: 100, nice: 0, system: 0, idle: 100, iowait: 50, irq: 0, softirq: 0, steal: 0 };
    const after = { ...before, user: 150, idle: 150, iowait: 40 };
    expect(cpuUsage(before, after, 1)).toMatchObject({ usage_pct: 50, idle_pct: 50, iowait_pct: 0 });
  });

  test("a lower total means a reboot: current values are the deltas", () => {
    const before = { user: 9000, nice: 0, system: 0, idle: 9000, iowait: 0, irq: 0, softirq: 0, steal: 0 };
    const after = { ...before, user: 30, idle: 70 };
    expect(cpuUsage(before, after, 1)).toMatchObject({ usage_pct: 30, user_pct: 30, idle_pct: 70 });
  });

  test("no jiffies between samples: null rather than 0/0", () => {
    const times = { user: 1, nice: 0, system: 0, idle: 1, iowait: 0, irq: 0, softirq: 0, steal: 0 };
    expect(cpuUsage(times, times, 1)).toBeNull();
  });
});

describe("diskRates", () => {
  test("captured sda advanced by known increments over 10 s; a reset vda; a new device has no rate", async () => {
    const first = parseDiskstats(await fixture("node-exporter-proc/proc-diskstats.txt")).items;
    const sda = first.find((d) => d.name === "sda") as DiskCounters;
    const current: DiskCounters[] = [
      // Derived from the capture: +100 reads of 2048 sectors, +50 writes of 4096 sectors, +2500 ms busy.
      {
        ...sda,
        reads: sda.reads + 100,
        read_sectors: sda.read_sectors + 2048,
        writes: sda.writes + 50,
        write_sectors: sda.write_sectors + 4096,
        io_ticks_ms: sda.io_ticks_ms + 2500,
      },
      // vda's counters went below the captured ones (device re-created): current values are the deltas.
      { name: "vda", reads: 30, read_sectors: 600, writes: 20, write_sectors: 400, io_ticks_ms: 1000 },
      { name: "sdz", reads: 5, read_sectors: 5, writes: 5, write_sectors: 5, io_ticks_ms: 5 },
    ];
    const rates = diskRates(new Map(first.map((d) => [d.name, d])), current, 10);
    expect(rates).toEqual([
      {
        disk: "sda",
        read_bytes_per_s: (2048 * 512) / 10,
        write_bytes_per_s: (4096 * 512) / 10,
        read_ops_per_s: 10,
        write_ops_per_s: 5,
        busy_pct: 25,
      },
      {
        disk: "vda",
        read_bytes_per_s: 30720,
        write_bytes_per_s: 20480,
        read_ops_per_s: 3,
        write_ops_per_s: 2,
        busy_pct: 10,
      },
    ]);
  });

  test("io_ticks running ahead of wall time is capped at 100 %", () => {
    const before = { name: "sda", reads: 0, read_sectors: 0, writes: 0, write_sectors: 0, io_ticks_ms: 0 };
    const [rate] = diskRates(new Map([["sda", before]]), [{ ...before, io_ticks_ms: 1010 }], 1);
    expect(rate?.busy_pct).toBe(100);
  });
});

describe("networkRates", () => {
  test("captured ens33 advanced over 5 s; a reset lo; a new wg0 has no rate", async () => {
    const first = parseNetDev(await fixture("jc-proc-net-dev/proc-net-dev.txt")).items;
    const ens33 = first.find((n) => n.interface === "ens33") as NetCounters;
    const lo = first.find((n) => n.interface === "lo") as NetCounters;
    const current: NetCounters[] = [
      // Derived from the capture: +1 MB received in 1000 packets, +500 kB sent, 5 drops in.
      {
        ...ens33,
        rx_bytes: ens33.rx_bytes + 1_000_000,
        rx_packets: ens33.rx_packets + 1000,
        tx_bytes: ens33.tx_bytes + 500_000,
        rx_drops: 5,
      },
      // Re-created interface: every counter below the captured value.
      { ...lo, rx_bytes: 100, tx_bytes: 50, rx_packets: 2, tx_packets: 1 },
      { ...ens33, interface: "wg0" },
    ];
    const rates = networkRates(new Map(first.map((n) => [n.interface, n])), current, 5);
    expect(rates.map((r) => r.interface)).toEqual(["ens33", "lo"]);
    expect(rates[0]).toMatchObject({
      rx_bytes_per_s: 200_000,
      tx_bytes_per_s: 100_000,
      rx_packets_per_s: 200,
      tx_packets_per_s: 0,
      rx_drops_per_s: 1,
    });
    expect(rates[1]).toMatchObject({
      rx_bytes_per_s: 20,
      tx_bytes_per_s: 10,
      rx_packets_per_s: 0.4,
      tx_packets_per_s: 0.2,
    });
  });
});
