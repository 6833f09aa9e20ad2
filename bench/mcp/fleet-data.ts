import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInventoryCollector } from "@infrastructor/domains/inventory/agent/index.ts";
import { createLogsCollector } from "@infrastructor/domains/logs/agent/index.ts";
import { memoryPositionStore } from "@infrastructor/domains/logs/agent/position-store.ts";
import { syslogLines } from "@infrastructor/domains/logs/server/testing/fake-journal.ts";
import { parseZpoolStatus } from "@infrastructor/domains/zfs/agent/parse-zpool-status.ts";
import { fixture } from "@infrastructor/domains/zfs/agent/testing/captures.ts";
import type { ZfsData } from "@infrastructor/domains/zfs/schema.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { systemData } from "@infrastructor/lib/testing/envelopes.ts";
import { nasResults } from "@infrastructor/lib/testing/mcp/fleet-seed.ts";
import { dockerData } from "@infrastructor/lib/testing/mcp/synthetic-docker.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";
import type { PollResult } from "../../agent/src/safe-collect.ts";

/**
 * One device's latest data per domain for the MCP benchmark: real collector output (this machine's
 * inventory; network, vms, backups, zfs, smart and updates from the MCP tests' fixture-replaying seed;
 * logs from the logs collector reading the MCP tests' syslog file) and docker with `containers`
 * synthetic containers shaped like the collector's. Collected once, reused for every device.
 * The seed's nas is sick in every domain; a fleet is mostly healthy: one device in SICK_EVERY keeps
 * the nas's DEGRADED pool, the others have a captured healthy mirror (the fleet health check reads
 * only the pools its rules could flag).
 */
export const SICK_EVERY = 10;

export async function deviceTemplates(containers: number): Promise<{
  forDevice: (device: number) => Partial<Record<Domain, PollResult>>;
  cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), "bench-mcp-"));
  const seeded = Object.fromEntries(await nasResults(dir));
  const inventory = await createInventoryCollector({ executor: new LocalExecutor() }).collect();
  await mkdir(join(dir, "host/var/log"), { recursive: true });
  await writeFile(join(dir, "host/var/log/syslog"), syslogLines(Date.now()));
  const logs = await createLogsCollector({
    executor: new LocalExecutor(),
    store: memoryPositionStore(),
    hostRoot: join(dir, "host"),
    priority: "debug",
  }).collect();
  const zfs = healthyZfs(
    seeded.zfs as PollResult,
    await fixture("jc-healthy-mirror-scrub-done/zpool-status.txt"),
  );
  return {
    forDevice: (device) => ({
      ...seeded,
      ...(device % SICK_EVERY === 0 ? {} : { zfs }),
      inventory,
      logs,
      system: { data: systemData(device), errors: [] },
      docker: { data: dockerData(device, containers), errors: [] },
    }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The seed's zfs poll with a healthy pool's `zpool status` and its pools ONLINE and 40 % full. */
function healthyZfs(sick: PollResult, statusText: string): PollResult {
  const data = sick.data as ZfsData;
  const pools = data.pools.ok
    ? data.pools.value.map((p) => ({ ...p, health: "ONLINE", capacity_pct: 40 }))
    : [];
  const healthy: ZfsData = {
    ...data,
    pools: { ok: true, value: pools },
    status: { ok: true, value: parseZpoolStatus(statusText).items },
  };
  return { ...sick, data: healthy };
}
