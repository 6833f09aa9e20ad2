import { afterAll, beforeAll, expect, test } from "bun:test";
import { createInventoryCollector } from "@infrastructor/domains/inventory/agent/index.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { CONTRACT_TOOLS } from "@infrastructor/lib/testing/mcp/contract-tools.ts";
import {
  type McpHarness,
  type McpSession,
  startMcpHarness,
} from "@infrastructor/lib/testing/mcp/mcp-harness.ts";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import type { LiveSource } from "../src/live/live-source.ts";

/** What an attacker (or a confused model) might pass as a name. */
const PAYLOADS = [
  "; rm -rf /",
  "$(id)",
  "`id`",
  "../../etc/passwd",
  "web\nid",
  "--help",
  "-rf",
  "x'y",
  'x"y',
  "x|y",
  "x&&y",
  "x>y",
  "\u0000",
];

/** A valid value for each argument a tool may require, so only the injected one is wrong. */
const VALID: Record<string, unknown> = {
  device: "alpha",
  container_name: "web",
  dataset: "tank",
  drive: "sda",
  service: "nginx.service",
  since: "1h",
  issue: "slow",
};

/** A live source that records any attempt to reach a host: nothing may reach it. */
const reached: string[] = [];
const recordingLive: LiveSource = {
  canReach: () => true,
  async collect(device, domain) {
    reached.push(`collect ${device.hostname} ${domain}`);
    throw new Error("must not be called");
  },
  executor(device): Executor {
    reached.push(`executor ${device.hostname}`);
    throw new Error("must not be called");
  },
  close: async () => {},
};

let harness: McpHarness;
let session: McpSession;
let tools: Tool[];

beforeAll(async () => {
  harness = await startMcpHarness();
  // alpha's only data is an hour old, so any tool that got past its checks would try live.
  const inventory = await createInventoryCollector({ executor: new LocalExecutor() }).collect();
  await harness.ingest("alpha", "inventory", inventory, new Date(Date.now() - 3_600_000));
  session = await harness.connect({ live: () => recordingLive });
  tools = (await session.client.listTools()).tools;
}, 120_000);

afterAll(async () => {
  await harness?.destroy();
}, 60_000);

test("tools/list gives the 17 tools and analyze_infrastructure_health, each with input and output schemas", () => {
  expect(tools.map((t) => t.name).sort()).toEqual([...CONTRACT_TOOLS].sort());
  for (const tool of tools) {
    expect(tool.inputSchema.type).toBe("object");
    expect(tool.outputSchema?.type).toBe("object");
    expect(tool.description?.length ?? 0).toBeGreaterThan(40);
  }
});

test("every string argument of every tool refuses injection before anything runs", async () => {
  let attempts = 0;
  for (const tool of tools) {
    const properties = (tool.inputSchema.properties ?? {}) as Record<
      string,
      { type?: string; enum?: unknown[] }
    >;
    const required = new Set(tool.inputSchema.required ?? []);
    const base = Object.fromEntries([...required].map((name) => [name, VALID[name]]));
    for (const [name, schema] of Object.entries(properties)) {
      if (schema.type !== "string") continue;
      for (const payload of PAYLOADS) {
        const result = await session.call(tool.name, { ...base, [name]: payload });
        attempts += 1;
        const error = (result.structuredContent as { error?: { code: string } } | undefined)?.error;
        if (result.isError !== true || error?.code !== "INVALID_ARGUMENT") {
          throw new Error(
            `${tool.name}.${name} = ${JSON.stringify(payload)} was not refused: ${JSON.stringify(result)}`,
          );
        }
      }
    }
  }
  // device, container_name, dataset, drive, service, since... across the tools: many, not a handful.
  expect(attempts).toBeGreaterThan(PAYLOADS.length * 20);
  expect(reached).toEqual([]);
});
