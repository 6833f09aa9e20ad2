import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Domain } from "@infrastructor/shared/domains.ts";
import { createInventoryCollector } from "../../agent/src/collectors/inventory/index.ts";
import { createLogsCollector } from "../../agent/src/collectors/logs/index.ts";
import { memoryPositionStore } from "../../agent/src/collectors/logs/position-store.ts";
import { LocalExecutor } from "../../agent/src/lib/local-executor.ts";
import type { PollResult } from "../../agent/src/safe-collect.ts";
import { syslogLines } from "../../mcp/src/tools/system/logs-testdata.ts";
import { nasResults } from "../../mcp/test/support/fleet-seed.ts";
import { dockerData } from "../../mcp/test/support/synthetic-docker.ts";
import { systemData } from "../../test/support/envelopes.ts";

/**
 * One device's latest data per domain for the MCP benchmark: real collector output (this machine's
 * inventory; network, vms, backups, zfs, smart and updates from the MCP tests' fixture-replaying seed;
 * logs from the logs collector reading the MCP tests' syslog file) and docker with `containers` synthetic containers shaped like the collector's. Collected once,
 * reused for every device.
 */
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
  return {
    forDevice: (device) => ({
      ...seeded,
      inventory,
      logs,
      system: { data: systemData(device), errors: [] },
      docker: { data: dockerData(device, containers), errors: [] },
    }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
