import { afterAll, beforeAll, expect, test } from "bun:test";
import { createInventoryCollector } from "@infrastructor/domains/inventory/agent/index.ts";
import { createSystemCollector } from "@infrastructor/domains/system/agent/index.ts";
import { createZfsCollector } from "@infrastructor/domains/zfs/agent/index.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import {
  type McpHarness,
  type McpSession,
  startMcpHarness,
} from "@infrastructor/lib/testing/mcp/mcp-harness.ts";
import type { DeviceStatus } from "./device-status.ts";

let harness: McpHarness;
let session: McpSession;
let tuned: McpSession;
let kernel: string;

beforeAll(async () => {
  harness = await startMcpHarness();
  const executor = new LocalExecutor();
  await harness.ingest("alpha", "system", await createSystemCollector({ executor }).collect());
  const inventory = await createInventoryCollector({ executor }).collect();
  await harness.ingest("alpha", "inventory", inventory);
  // This machine has no zpool: the agent reports the domain unavailable.
  await harness.ingest("alpha", "zfs", await createZfsCollector({ executor }).collect());
  // An agent last heard from two days ago: even its hourly inventory is stale.
  await harness.ingest("zulu", "inventory", inventory, new Date(Date.now() - 2 * 86_400_000));
  kernel = (await Bun.file("/proc/sys/kernel/osrelease").text()).trim();
  session = await harness.connect();
  tuned = await harness.connect({ env: { MCP_STALE_AFTER: "docker=2m", MCP_CPU_WARN_PCT: "75" } });
}, 120_000);

afterAll(async () => {
  await harness?.destroy();
}, 60_000);

async function readJson<T>(s: McpSession, uri: string): Promise<T> {
  const result = await s.client.readResource({ uri });
  const first = result.contents[0];
  expect(first?.mimeType).toBe("application/json");
  return JSON.parse(first && "text" in first ? first.text : "null") as T;
}

test("resources/list: the registry, the config, the alerts, and one status URI per device", async () => {
  const { resources } = await session.client.listResources();
  expect(resources.map((r) => r.uri).sort()).toEqual([
    "infra://alerts",
    "infra://config",
    "infra://devices",
    "infra://devices/alpha/status",
    "infra://devices/zulu/status",
  ]);
  const { resourceTemplates } = await session.client.listResourceTemplates();
  expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(["infra://devices/{device}/status"]);
});

test("infra://devices: every device, the silent one first, with this machine's inventory", async () => {
  const body = await readJson<{
    summary: { devices: number; not_reporting: string[] };
    devices: { name: string; reporting: boolean; kernel: string | null; ssh: boolean }[];
  }>(session, "infra://devices");
  expect(body.summary).toMatchObject({ devices: 2, not_reporting: ["zulu"] });
  expect(body.devices.map((d) => [d.name, d.reporting])).toEqual([
    ["zulu", false],
    ["alpha", true],
  ]);
  expect(body.devices[1]).toMatchObject({ kernel, ssh: false });
});

test("a device's status: each domain's state, age and staleness, errors, and the payload", async () => {
  const status = await readJson<DeviceStatus>(session, "infra://devices/alpha/status");
  expect(status.device).toBe("alpha");
  const byDomain = new Map(status.domains.map((d) => [d.domain, d]));
  expect(byDomain.size).toBe(11);

  const system = byDomain.get("system");
  expect(system).toMatchObject({ status: "ok", stale: false, stale_after_s: 45, tool: "get_system_metrics" });
  expect(system?.age_s).toBeLessThan(30);
  expect(
    (system?.payload as { memory?: { total_bytes: number } } | undefined)?.memory?.total_bytes,
  ).toBeGreaterThan(0);

  const inventory = byDomain.get("inventory");
  expect((inventory?.payload as { kernel?: string } | undefined)?.kernel).toBe(kernel);
  expect(inventory?.payload_truncated).toBe(false);

  expect(byDomain.get("zfs")).toMatchObject({
    status: "unavailable",
    unavailable: { code: "COMMAND_MISSING" },
    payload: null,
  });
  expect(byDomain.get("docker")).toMatchObject({
    status: "missing",
    observed_at: null,
    age_s: null,
    stale: true,
    payload: null,
  });
});

test("a device heard from two days ago: its state is marked stale, and it is critical (a host down)", async () => {
  const status = await readJson<DeviceStatus>(session, "infra://devices/zulu/status");
  const inventory = status.domains.find((d) => d.domain === "inventory");
  expect(inventory?.stale).toBe(true);
  expect(inventory?.age_s).toBeGreaterThan(2 * 86_400 - 60);
  expect(status.severity).toBe("critical");
  expect(status.findings).toEqual([
    expect.objectContaining({
      severity: "critical",
      impact: "service",
      domain: "agent",
      what: "not reporting",
    }),
  ]);
  expect(status.findings[0]?.evidence).toStartWith("last seen 2 d ago");
});

test("a device's severity and each domain's come from the fleet check's rules on the stored payloads", async () => {
  // Every mount over a 1 % threshold: the system domain warns, with each mount named.
  const low = await harness.connect({ env: { MCP_DISK_WARN_PCT: "1" } });
  const status = await readJson<DeviceStatus>(low, "infra://devices/alpha/status");
  const byDomain = new Map(status.domains.map((d) => [d.domain, d]));
  const disks = status.findings.filter((f) => f.what.startsWith("disk "));
  expect(disks.length).toBeGreaterThan(0);
  expect(
    disks.every((f) => f.severity === "warning" && f.impact === "capacity" && f.domain === "system"),
  ).toBe(true);
  expect(byDomain.get("system")?.severity).toBe("warning");
  expect(byDomain.get("inventory")?.severity).toBeNull();
  expect(status.severity).toBe("warning");
});

test("an unknown device is NOT_FOUND naming the known ones; a bad name is refused", async () => {
  await expect(session.client.readResource({ uri: "infra://devices/nope/status" })).rejects.toThrow(
    /NOT_FOUND: no device named "nope"; known devices: alpha, zulu/,
  );
  await expect(session.client.readResource({ uri: "infra://devices/a;id/status" })).rejects.toThrow(
    /INVALID_ARGUMENT: not a valid device name/,
  );
});

test("completion of the device in the status template comes from the registry", async () => {
  const complete = async (value: string): Promise<string[]> =>
    (
      await session.client.complete({
        ref: { type: "ref/resource", uri: "infra://devices/{device}/status" },
        argument: { name: "device", value },
      })
    ).completion.values;
  expect(await complete("")).toEqual(["alpha", "zulu"]);
  expect(await complete("Z")).toEqual(["zulu"]);
  expect(await complete("x")).toEqual([]);
});

test("infra://config: intervals, thresholds and retention, and no database URL", async () => {
  const result = await session.client.readResource({ uri: "infra://config" });
  const text = (result.contents[0] as { text: string }).text;
  expect(text).not.toContain(harness.servers.pg.url);
  expect(text).not.toContain("postgres://");
  const body = JSON.parse(text) as {
    freshness: {
      stale_factor: number;
      domains: Record<string, { interval_s: number; stale_after_s: number }>;
    };
    health_thresholds: { cpu_pct: number };
    retention: { flavor: string; source: string; keep_days: Record<string, number> };
    live: { ssh: boolean; concurrency: number };
  };
  expect(body.freshness.stale_factor).toBe(3);
  expect(body.freshness.domains.system).toEqual({
    interval_s: 15,
    stale_after_s: 45,
    stale_after_source: "factor",
  } as never);
  expect(body.health_thresholds.cpu_pct).toBe(90);
  expect(body.retention.flavor).toBe("postgres");
  expect(body.retention.source).toContain("defaults");
  expect(body.retention.keep_days).toMatchObject({
    system_metrics: 30,
    system_metrics_hourly: 90,
    system_metrics_daily: 365,
    logs: 14,
    smart_metrics: 365,
  });
  expect(body.live).toMatchObject({ ssh: false, concurrency: 8 });
});

test("infra://config shows the thresholds the server was started with", async () => {
  const body = await readJson<{
    freshness: { domains: Record<string, { stale_after_s: number; stale_after_source: string }> };
    health_thresholds: { cpu_pct: number };
  }>(tuned, "infra://config");
  expect(body.freshness.domains.docker).toEqual({
    interval_s: expect.any(Number),
    stale_after_s: 120,
    stale_after_source: "MCP_STALE_AFTER",
  } as never);
  expect(body.health_thresholds.cpu_pct).toBe(75);
});
