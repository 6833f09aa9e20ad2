import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createSmartCollector } from "@infrastructor/domains/smart/agent/index.ts";
import { testdata as smartTestdata } from "@infrastructor/domains/smart/agent/testing/captures.ts";
import { createSystemCollector } from "@infrastructor/domains/system/agent/index.ts";
import { buildFakeRoot, type FakeRoot } from "@infrastructor/domains/system/agent/testing/fake-root.ts";
import { createUpdatesCollector } from "@infrastructor/domains/updates/agent/index.ts";
import { testdata as updatesTestdata } from "@infrastructor/domains/updates/agent/testing/captures.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import {
  type McpHarness,
  type McpSession,
  startMcpHarness,
} from "@infrastructor/lib/testing/mcp/mcp-harness.ts";
import { ScriptedExecutor } from "@infrastructor/lib/testing/scripted-executor.ts";

/**
 * Issue 13 section 1 in the answers, for the domains whose items are rows: one garbled
 * /proc/diskstats row, one apt listing line and one SMART attribute entry (real collectors over real
 * captures, one item damaged each). get_system_metrics, check_updates and get_drive_health name the
 * unreadable item in their text, beside everything that was read.
 */
let harness: McpHarness;
let session: McpSession;
let root: FakeRoot;
const HOST = "rows1";

beforeAll(async () => {
  harness = await startMcpHarness();
  root = await buildFakeRoot();
  const diskstats = join(root.procRoot, "diskstats");
  const rows = (await readFile(diskstats, "utf8")).replace(/^( +8 +0 sda) 25354637 /m, "$1 x9z ");
  await writeFile(diskstats, rows);
  const system = createSystemCollector({ executor: new LocalExecutor(), ...root });
  await harness.ingest(HOST, "system", await system.collect());

  const listing = (await updatesTestdata("debian12-apt-list-upgradable/apt.txt")).replace(
    "curl/oldstable 7.88.1-10+deb12u15 amd64 [upgradable from: 7.88.1-10+deb12u14]",
    "curl/oldstable 7.88.1-10+deb12u15",
  );
  const updates = createUpdatesCollector({
    executor: new ScriptedExecutor({
      "apt --version": { exitCode: 0, stdout: "apt 2.6.1 (amd64)\n" },
      "env LC_ALL=C apt list --upgradable": { exitCode: 0, stdout: listing },
    }),
    hostRoot: root.hostRoot,
  });
  await harness.ingest(HOST, "updates", await updates.collect());

  const drive = JSON.parse(smartTestdata("smartctl-exporter-wdc-wd20efrx-sata-hdd/smartctl-json.json"));
  drive.ata_smart_attributes.table[0] = { id: 1, name: "Raw_Read_Error_Rate", value: "high" };
  const scan = {
    smartctl: { version: [7, 3], exit_status: 0 },
    devices: [{ name: "/dev/sdb", type: "sat" }],
  };
  const smart = createSmartCollector({
    executor: new ScriptedExecutor((argv) =>
      argv.includes("--scan-open")
        ? { stdout: JSON.stringify(scan), exitCode: 0 }
        : { stdout: JSON.stringify(drive), exitCode: 0 },
    ),
  });
  await harness.ingest(HOST, "smart", await smart.collect());
  session = await harness.connect();
}, 180_000);

afterAll(async () => {
  await harness?.destroy();
  await rm(root.dir, { recursive: true, force: true });
}, 60_000);

async function answer(name: string): Promise<{ text: string; unreadable: { name: string | null }[] }> {
  const result = await session.call(name, { device: HOST });
  expect(result.isError).toBeFalsy();
  const [first] = result.content as { type: string; text: string }[];
  const structured = result.structuredContent as { unreadable: { name: string | null }[] };
  return { text: first?.text ?? "", unreadable: structured.unreadable };
}

describe("answers name the rows their agent could not read", () => {
  test("get_system_metrics: the garbled diskstats row; the other disks are read", async () => {
    const { text, unreadable } = await answer("get_system_metrics");
    expect(text).toMatch(/1 item could not be read: disks sda: /);
    expect(unreadable.map((e) => e.name)).toEqual(["disks:sda"]);
  });

  test("check_updates: the cut apt line; the other packages are listed", async () => {
    const { text, unreadable } = await answer("check_updates");
    expect(text).toMatch(/1 package line could not be read: curl\S*: /);
    expect(text).toContain("bash:amd64 5.2.15-2+b8 -> 5.2.15-2+b13");
    expect(unreadable).toHaveLength(1);
  });

  test("get_drive_health: the bad attribute entry; the drive keeps its verdict", async () => {
    const { text, unreadable } = await answer("get_drive_health");
    expect(text).toMatch(/1 item could not be read: \/dev\/sdb:/);
    expect(text).toContain("1 drives: 0 failing");
    expect(unreadable).toHaveLength(1);
  });
});
