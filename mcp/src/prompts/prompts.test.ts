import { afterAll, beforeAll, expect, test } from "bun:test";
import { createInventoryCollector } from "@infrastructor/domains/inventory/agent/index.ts";
import { createZfsCollector } from "@infrastructor/domains/zfs/agent/index.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { CONTRACT_TOOLS } from "@infrastructor/lib/testing/mcp/contract-tools.ts";
import {
  type McpHarness,
  type McpSession,
  startMcpHarness,
} from "@infrastructor/lib/testing/mcp/mcp-harness.ts";

const CONTRACT = new Set(CONTRACT_TOOLS);

let harness: McpHarness;
let session: McpSession;

beforeAll(async () => {
  harness = await startMcpHarness();
  const executor = new LocalExecutor();
  await harness.ingest("nas", "inventory", await createInventoryCollector({ executor }).collect());
  await harness.ingest("nas", "zfs", await createZfsCollector({ executor }).collect());
  await harness.ingest("web", "inventory", await createInventoryCollector({ executor }).collect());
  session = await harness.connect();
}, 120_000);

afterAll(async () => {
  await harness?.destroy();
}, 60_000);

async function promptText(name: string, args?: Record<string, string>): Promise<string> {
  const result = await session.client.getPrompt({ name, ...(args ? { arguments: args } : {}) });
  expect(result.messages).toHaveLength(1);
  const content = result.messages[0]?.content;
  expect(content?.type).toBe("text");
  return content?.type === "text" ? content.text : "";
}

/** Every tool-like name a prompt mentions, e.g. get_zfs_status. */
function toolsNamed(text: string): string[] {
  return [...new Set(text.match(/\b(list|get|check|verify|analyze)_[a-z_]+\b/g) ?? [])];
}

test("prompts/list: the three prompts, troubleshoot_device with its two required arguments", async () => {
  const { prompts } = await session.client.listPrompts();
  expect(prompts.map((p) => p.name).sort()).toEqual([
    "analyze_infrastructure_health",
    "troubleshoot_device",
    "weekly_maintenance_report",
  ]);
  const troubleshoot = prompts.find((p) => p.name === "troubleshoot_device");
  expect(troubleshoot?.arguments?.map((a) => [a.name, a.required])).toEqual([
    ["device", true],
    ["issue", true],
  ]);
});

test("troubleshoot_device quotes the issue, shows the device's stored state, and names the tools", async () => {
  const text = await promptText("troubleshoot_device", {
    device: "NAS",
    issue: "pool is slow\nsince Monday",
  });
  expect(text).toContain('Troubleshoot the device "nas"');
  expect(text).toContain("> pool is slow\n> since Monday");
  expect(text).toContain("infra://devices/nas/status");
  expect(text).toMatch(
    /- zfs: unavailable \(COMMAND_MISSING: [^)]+\), \d+ s old; read it with get_zfs_status/,
  );
  expect(text).toContain("- docker: missing, never collected, STALE");
  expect(text).toContain('get_device_info(device: "nas")');
  for (const tool of toolsNamed(text)) expect(CONTRACT).toContain(tool);
});

test("troubleshoot_device: an unknown device is NOT_FOUND, a hostile name is refused", async () => {
  await expect(
    session.client.getPrompt({ name: "troubleshoot_device", arguments: { device: "nope", issue: "down" } }),
  ).rejects.toThrow(/NOT_FOUND: no device named "nope"; known devices: nas, web/);
  await expect(
    session.client.getPrompt({ name: "troubleshoot_device", arguments: { device: "$(id)", issue: "x" } }),
  ).rejects.toThrow(/not a valid device name/);
});

test("the device argument completes from the registry", async () => {
  const complete = async (value: string): Promise<string[]> =>
    (
      await session.client.complete({
        ref: { type: "ref/prompt", name: "troubleshoot_device" },
        argument: { name: "device", value },
      })
    ).completion.values;
  expect(await complete("")).toEqual(["nas", "web"]);
  expect(await complete("w")).toEqual(["web"]);
});

test("the fleet prompts start from analyze_infrastructure_health and only name real tools", async () => {
  const analyze = await promptText("analyze_infrastructure_health");
  expect(analyze).toContain("1. Call analyze_infrastructure_health()");
  const weekly = await promptText("weekly_maintenance_report");
  expect(weekly).toContain("To do:");
  for (const text of [analyze, weekly]) {
    expect(text).toContain("provenance");
    for (const tool of toolsNamed(text)) expect(CONTRACT).toContain(tool);
  }
  // Between them, the fleet prompts point at most of the toolbox.
  expect(new Set([...toolsNamed(analyze), ...toolsNamed(weekly)]).size).toBeGreaterThanOrEqual(14);
});
