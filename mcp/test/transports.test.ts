import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInventoryCollector } from "@infrastructor/domains/inventory/agent/index.ts";
import { createSystemCollector } from "@infrastructor/domains/system/agent/index.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { TEST_API_TOKEN } from "@infrastructor/lib/testing/collector-process.ts";
import { type McpHarness, startMcpHarness } from "@infrastructor/lib/testing/mcp/mcp-harness.ts";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { TOOLS } from "../src/tools/registry.ts";

const repo = resolve(import.meta.dir, "../..");
let harness: McpHarness;

beforeAll(async () => {
  harness = await startMcpHarness();
  const executor = new LocalExecutor();
  await harness.ingest("alpha", "system", await createSystemCollector({ executor }).collect());
  await harness.ingest("alpha", "inventory", await createInventoryCollector({ executor }).collect());
}, 120_000);

afterAll(async () => {
  await harness?.destroy();
}, 60_000);

/** The `mcpServers.infrastructor` entry of the README's JSON snippet, with this checkout's path. */
function readmeClientConfig(): { command: string; args: string[] } {
  const readme = readFileSync(join(repo, "README.md"), "utf8");
  const block = /```json\n(\{\n {2}"mcpServers"[\s\S]*?)```/.exec(readme)?.[1];
  if (block === undefined) throw new Error("README.md has no mcpServers JSON snippet");
  const entry = JSON.parse(block.replaceAll("/path/to/infrastructor", repo)).mcpServers.infrastructor;
  return { command: entry.command, args: entry.args };
}

const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "curl", version: "1" } },
};
const POST_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };

/** What every transport must serve: the tools with their schemas, a call, a resource, a prompt. */
async function exercise(client: Client): Promise<void> {
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name)).toEqual(TOOLS.map((t) => t.name));
  for (const tool of tools) {
    expect(tool.inputSchema.type).toBe("object");
    expect(tool.outputSchema).toBeDefined();
  }
  const call = (await client.callTool({ name: "list_devices", arguments: {} })) as CallToolResult;
  expect(call.isError).toBeFalsy();
  // Whether alpha still counts as reporting depends on how long a loaded machine took to get here
  // (the system domain is stale after 45 s); the transport only has to carry the answer.
  expect(call.structuredContent).toMatchObject({ summary: { devices: 1 } });
  expect(JSON.stringify(call.structuredContent)).toContain('"alpha"');
  const bad = (await client.callTool({ name: "list_devices", arguments: { limit: -1 } })) as CallToolResult;
  expect(bad.structuredContent).toMatchObject({ error: { code: "INVALID_ARGUMENT" } });
  const { resources } = await client.listResources();
  expect(resources.map((r) => r.uri)).toContain("infra://devices/alpha/status");
  const status = await client.readResource({ uri: "infra://devices/alpha/status" });
  const body = JSON.parse((status.contents[0] as { text: string }).text) as {
    device: string;
    domains: { domain: string; status: string }[];
  };
  expect(body.device).toBe("alpha");
  expect(body.domains.find((d) => d.domain === "inventory")?.status).toBe("ok");
  const prompt = await client.getPrompt({
    name: "troubleshoot_device",
    arguments: { device: "alpha", issue: "load is high" },
  });
  expect(JSON.stringify(prompt.messages)).toContain("> load is high");
  const completion = await client.complete({
    ref: { type: "ref/prompt", name: "troubleshoot_device" },
    argument: { name: "device", value: "al" },
  });
  expect(completion.completion.values).toEqual(["alpha"]);
}

describe("stdio, started as an MCP client starts it", () => {
  test("the README's client config (bun <repo>/mcp/src/main.ts) serves everything, whatever ~/.bashrc prints", async () => {
    // The exact command of the README's client configuration, started from another directory with a HOME
    // whose .bashrc prints: a client's stdio are sockets, so any bash in between would source it and
    // corrupt the protocol (`bun run mcp` did). The client passes only this env (plus PATH, HOME...).
    const { command, args } = readmeClientConfig();
    const home = await mkdtemp(join(tmpdir(), "mcp-stdio-home-"));
    await writeFile(join(home, ".bashrc"), "echo 'noise from .bashrc'\n");
    const transport = new StdioClientTransport({
      command,
      args,
      cwd: home,
      env: { DATABASE_URL: harness.servers.pg.url, LOG_LEVEL: "warn", HOME: home },
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const client = new Client({ name: "stdio-test", version: "1.0.0" });
    try {
      await client.connect(transport);
      expect(client.getServerVersion()?.name).toBe("infrastructor");
      expect(client.getServerCapabilities()).toMatchObject({
        tools: {},
        resources: {},
        prompts: {},
        completions: {},
      });
      await exercise(client);
    } finally {
      await client.close();
      await rm(home, { recursive: true, force: true });
    }
    expect(stderr).not.toContain('"level":50'); // no error logged
  }, 60_000);

  test("a Node MCP client (stdio over sockets) starting the README's command never runs ~/.bashrc", async () => {
    // Node's child stdio are socket pairs, so a `bash -c` in between (as `bun run mcp` has) sources
    // ~/.bashrc: this one prints without a newline, which glues onto the first JSON-RPC line.
    const { command, args } = readmeClientConfig();
    const home = await mkdtemp(join(tmpdir(), "mcp-node-home-"));
    const marker = join(home, "bashrc-was-read");
    await writeFile(join(home, ".bashrc"), `printf 'noise from .bashrc'\ntouch "$HOME/bashrc-was-read"\n`);
    try {
      const proc = Bun.spawn(
        [
          "node",
          join(import.meta.dir, "../../shared/lib/testing/mcp/node-stdio-client.mjs"),
          command,
          ...args,
        ],
        {
          cwd: home,
          env: {
            PATH: process.env.PATH ?? "",
            HOME: home,
            CLIENT_CWD: home,
            DATABASE_URL: harness.servers.pg.url,
          },
          stdout: "pipe",
          stderr: "pipe",
        },
      );
      const [out, err] = await Promise.all([
        new Response(proc.stdout).text(),
        new Response(proc.stderr).text(),
      ]);
      await proc.exited;
      expect({ answer: out.trim(), stderr: err }).toMatchObject({
        answer: JSON.stringify({ server: "infrastructor", tools: TOOLS.length }),
      });
      expect(await Bun.file(marker).exists()).toBe(false);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  }, 90_000);

  test("without DATABASE_URL it exits 2 and says why on stderr, with nothing on stdout", async () => {
    const proc = Bun.spawn(["bun", "mcp/src/main.ts"], {
      cwd: repo,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(await proc.exited).toBe(2);
    expect(await new Response(proc.stderr).text()).toContain("DATABASE_URL: is not set");
    expect(await new Response(proc.stdout).text()).toBe("");
  }, 30_000);
});

describe("Streamable HTTP on the collector at /mcp", () => {
  const url = (): URL => new URL(`http://127.0.0.1:${harness.collector.port}/mcp`);
  const withToken = { headers: { authorization: `Bearer ${TEST_API_TOKEN}` } };

  test("with the token: the same tools, resources and prompts", async () => {
    const client = new Client({ name: "http-test", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(url(), { requestInit: withToken });
    await client.connect(transport);
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    await exercise(client);
    await client.close();
  }, 60_000);

  test("401 without the token or with a wrong one; the SDK client cannot connect", async () => {
    const none = await fetch(url(), {
      method: "POST",
      headers: POST_HEADERS,
      body: JSON.stringify(INITIALIZE),
    });
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toStartWith("Bearer");
    expect(await none.json()).toMatchObject({
      error: { code: "UNAUTHORIZED", message: expect.stringContaining("bearer token") },
    });
    const wrong = await fetch(url(), {
      method: "POST",
      headers: { ...POST_HEADERS, authorization: "Bearer not-the-token-0123456789" },
      body: JSON.stringify(INITIALIZE),
    });
    expect(wrong.status).toBe(401);
    const client = new Client({ name: "http-test", version: "1.0.0" });
    await expect(client.connect(new StreamableHTTPClientTransport(url()))).rejects.toThrow(/UNAUTHORIZED/);
  });

  test("DELETE ends the session: its id is unknown afterwards", async () => {
    const transport = new StreamableHTTPClientTransport(url(), { requestInit: withToken });
    const client = new Client({ name: "http-test", version: "1.0.0" });
    await client.connect(transport);
    const id = transport.sessionId as string;
    await transport.terminateSession();
    const after = await fetch(url(), {
      method: "POST",
      headers: {
        ...POST_HEADERS,
        ...withToken.headers,
        "mcp-session-id": id,
        "mcp-protocol-version": "2025-06-18",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
    });
    expect(after.status).toBe(404);
    await client.close();
  });
});
