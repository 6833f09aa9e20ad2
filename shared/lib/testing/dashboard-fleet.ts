import { rm } from "node:fs/promises";
import { join } from "node:path";
import { seedAlert } from "@infrastructor/collector/alerts/testing/seed-alerts.ts";
import { createSystemCollector } from "@infrastructor/domains/system/agent/index.ts";
import { buildFakeRoot, bump, editLines } from "@infrastructor/domains/system/agent/testing/fake-root.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { seedFleet } from "./mcp/fleet-seed.ts";
import { type McpHarness, startMcpHarness } from "./mcp/mcp-harness.ts";
import { waitFor } from "./wait.ts";

/**
 * The MCP tests' fleet (alpha: this machine; nas: every domain from captured outputs; router: silent
 * for two hours), plus what the dashboards draw and that fleet lacks: two system samples of nas from
 * the system collector's captured /proc and /sys, so it has CPU, disk and network rates and hwmon
 * temperatures. The collector refreshes the rollups every second, so system_metrics_hourly has rows.
 * The alert engine does not run here: the alerts it would raise for router and nas are written as it
 * leaves them, so the firing-alerts panel has rows.
 */
export interface DashboardFleet {
  harness: McpHarness;
  destroy(): Promise<void>;
}

export async function startDashboardFleet(): Promise<DashboardFleet> {
  const harness = await startMcpHarness({ ROLLUP_REFRESH_INTERVAL: "1s" });
  try {
    const fleet = await seedFleet(harness);
    await fleet.cleanup();
    await seedNasSystem(harness);
    const sql = harness.servers.sql;
    await seedAlert(sql, {
      rule: "host_down",
      device: "router",
      subject: "not reporting",
      severity: "critical",
    });
    await seedAlert(sql, { rule: "zfs_pool", device: "nas", subject: "pool tank DEGRADED" });
    // nas's rollup has a CPU average once the refresh has seen its second sample.
    await waitFor("hourly rollups of alpha and nas", async () => {
      const rows = await harness.servers.sql<{ hostname: string; cpu: number | null }[]>`
        SELECT d.hostname, max(h.cpu_pct_avg) AS cpu FROM system_metrics_hourly h
        JOIN devices d ON d.id = h.device_id GROUP BY d.hostname`;
      const by = new Map(rows.map((r) => [r.hostname, r.cpu]));
      return by.has("alpha") && by.get("nas") != null;
    });
  } catch (err) {
    await harness.destroy();
    throw err;
  }
  return { harness, destroy: () => harness.destroy() };
}

async function seedNasSystem(harness: McpHarness): Promise<void> {
  const root = await buildFakeRoot();
  try {
    let clock = 1_000;
    const collector = createSystemCollector({
      executor: new LocalExecutor(),
      procRoot: root.procRoot,
      sysRoot: root.sysRoot,
      hostRoot: root.hostRoot,
      now: () => clock,
    });
    const at = Date.now() - 60_000;
    await harness.ingest("nas", "system", await collector.collect(), new Date(at - 4 * 60_000));
    // The next sample: CPU time, disk and network counters moved (as the collector's own test derives
    // them). Its rates are over the collector's clock (15 s); stored minutes apart, the two samples fall
    // in different buckets of a 6-hour range, so the panels' time order is tested.
    const proc = (name: string): string => join(root.procRoot, name);
    await editLines(proc("stat"), (f) => f[0] === "cpu", bump({ 1: 600, 3: 200, 4: 1000, 5: 100, 7: 100 }));
    await editLines(
      proc("diskstats"),
      (f) => f[2] === "sda",
      bump({ 3: 100, 5: 2048, 7: 50, 9: 4096, 12: 2500 }),
    );
    await editLines(proc("net/dev"), (f) => f[0] === "ens33:", bump({ 1: 1_000_000, 2: 1000, 9: 500_000 }));
    clock += 15_000;
    await harness.ingest("nas", "system", await collector.collect(), new Date(at));
  } finally {
    await rm(root.dir, { recursive: true, force: true });
  }
}
