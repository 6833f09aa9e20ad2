import { afterAll, beforeAll, expect, test } from "bun:test";
import { createInventoryCollector } from "@infrastructor/domains/inventory/agent/index.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import {
  type McpHarness,
  type McpSession,
  startMcpHarness,
} from "@infrastructor/lib/testing/mcp/mcp-harness.ts";

let harness: McpHarness;
let session: McpSession;

beforeAll(async () => {
  harness = await startMcpHarness();
  const inventory = await createInventoryCollector({ executor: new LocalExecutor() }).collect();
  await harness.ingest("alpha", "inventory", inventory);
  // An agent last heard from an hour ago: its only envelope is old.
  await harness.ingest("zulu", "inventory", inventory, new Date(Date.now() - 3_600_000));
  session = await harness.connect();
}, 120_000);

afterAll(async () => {
  await harness?.destroy();
}, 60_000);

test("list_devices lists every device, the silent one first, with this machine's inventory", async () => {
  const result = await session.call("list_devices");
  expect(result.isError).toBeFalsy();
  const s = result.structuredContent as {
    summary: { devices: number; reporting: number; not_reporting: string[] };
    devices: { name: string; reporting: boolean; kernel: string | null; cpu_cores: number | null }[];
  };
  expect(s.summary.devices).toBe(2);
  expect(s.summary.not_reporting).toEqual(["zulu"]);
  expect(s.devices.map((d) => d.name)).toEqual(["zulu", "alpha"]);
  const alpha = s.devices[1];
  expect(alpha?.reporting).toBe(true);
  expect(alpha?.kernel).toBe((await Bun.file("/proc/sys/kernel/osrelease").text()).trim());
  expect(alpha?.cpu_cores).toBe(navigator.hardwareConcurrency);
  const text = result.content[0];
  expect(text?.type === "text" && text.text).toContain("not reporting: zulu");
});

test("list_devices pages: limit 1 gives the next offset", async () => {
  const result = await session.call("list_devices", { limit: 1 });
  const s = result.structuredContent as { page: { next_offset: number | null; total: number } };
  expect(s.page).toMatchObject({ total: 2, next_offset: 1 });
});

test("a bad argument is INVALID_ARGUMENT in structuredContent, and the server carries on", async () => {
  const bad = await session.call("list_devices", { limit: 100_000 });
  expect(bad.isError).toBe(true);
  expect((bad.structuredContent as { error: { code: string } }).error.code).toBe("INVALID_ARGUMENT");
  const typo = await session.call("list_devices", { limimt: 5 });
  expect((typo.structuredContent as { error: { message: string } }).error.message).toContain("limimt");
  const ok = await session.call("list_devices");
  expect(ok.isError).toBeFalsy();
});
