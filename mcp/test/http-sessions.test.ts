import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { TEST_API_TOKEN } from "@infrastructor/lib/testing/collector-process.ts";
import { type McpHarness, startMcpHarness } from "@infrastructor/lib/testing/mcp/mcp-harness.ts";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import pino from "pino";
import { type HttpSessionOptions, McpHttpSessions } from "../src/http/http-sessions.ts";
import { TOOLS } from "../src/tools/registry.ts";

let harness: McpHarness;

beforeAll(async () => {
  harness = await startMcpHarness();
}, 120_000);

afterAll(async () => {
  await harness?.destroy();
}, 60_000);

const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "curl", version: "1" } },
};
const POST_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };
const TOOLS_LIST = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });

interface Opened {
  client: Client;
  transport: StreamableHTTPClientTransport;
}

/** Sessions served in-process; `as` names the client (the collector derives it from token and address). */
async function inProcess(options: Partial<HttpSessionOptions>): Promise<{
  sessions: McpHttpSessions;
  open(as: string): Promise<Opened>;
  post(as: string, body: string): Promise<Response>;
}> {
  const { backend } = await harness.connect();
  const sessions = new McpHttpSessions(
    backend.deps,
    {
      idleMs: 60_000,
      maxSessions: 100,
      maxSessionsPerClient: 100,
      origin: { allowedHosts: ["in-process"], allowedOrigins: [] },
      ...options,
    },
    pino({ level: "silent" }),
  );
  const fetchAs =
    (as: string) =>
    (input: string | URL, init?: RequestInit): Promise<Response> =>
      sessions.handle(new Request(input.toString(), init), as);
  return {
    sessions,
    async open(as) {
      const transport = new StreamableHTTPClientTransport(new URL("http://in-process/mcp"), {
        fetch: fetchAs(as),
      });
      const client = new Client({ name: `client-${as}`, version: "1.0.0" });
      await client.connect(transport);
      return { client, transport };
    },
    post: (as, body) => fetchAs(as)("http://in-process/mcp", { method: "POST", headers: POST_HEADERS, body }),
  };
}

describe("HTTP sessions: per-client caps", () => {
  test("one client opening many sessions never locks another out: it only loses its own oldest", async () => {
    const { sessions, open } = await inProcess({ maxSessions: 6, maxSessionsPerClient: 2 });
    try {
      const hog: Opened[] = [];
      for (let i = 0; i < 10; i++) hog.push(await open("hog"));
      expect(sessions.sizeOf("hog")).toBe(2);
      // The hog's two most recent sessions work; its older ones were closed to make room.
      expect((await hog[9]?.client.listTools())?.tools.length).toBe(TOOLS.length);
      expect((await hog[8]?.client.listTools())?.tools.length).toBe(TOOLS.length);
      await expect(hog[0]?.client.listTools()).rejects.toThrow(/session not found/);
      // Another client gets in, and keeps its session while the hog goes on.
      const other = await open("other");
      for (let i = 0; i < 5; i++) await open("hog");
      expect((await other.client.listTools()).tools.length).toBe(TOOLS.length);
      expect(sessions.sizeOf("other")).toBe(1);
    } finally {
      await sessions.close();
    }
  }, 60_000);

  test("at the total cap a newcomer gets in: the client holding the most loses its least recent", async () => {
    const { sessions, open } = await inProcess({ maxSessions: 4, maxSessionsPerClient: 3 });
    try {
      const a = [await open("a"), await open("a"), await open("a")];
      const b = await open("b");
      expect(sessions.size).toBe(4);
      await a[0]?.client.listTools(); // a[1] is now a's least recently used
      const c = await open("c");
      expect(sessions.size).toBe(4);
      expect([sessions.sizeOf("a"), sessions.sizeOf("b"), sessions.sizeOf("c")]).toEqual([2, 1, 1]);
      await expect(a[1]?.client.listTools()).rejects.toThrow(/session not found/);
      for (const still of [a[0], a[2], b, c])
        expect((await still?.client.listTools())?.tools.length).toBe(TOOLS.length);
    } finally {
      await sessions.close();
    }
  }, 60_000);

  test("a stray request opens no session and closes none; idle sessions close", async () => {
    const { sessions, open, post } = await inProcess({
      idleMs: 600,
      maxSessions: 1,
      maxSessionsPerClient: 1,
    });
    try {
      const first = await open("a");
      const stray = await post("b", TOOLS_LIST);
      expect(stray.status).toBe(400);
      const badInit = await post("b", JSON.stringify({ ...INITIALIZE, params: {} }));
      expect(badInit.status).toBe(400);
      expect(sessions.sizeOf("a")).toBe(1);
      expect((await first.client.listTools()).tools.length).toBe(TOOLS.length);
      // Idles past 600 ms: closed by the sweeper.
      const deadline = Date.now() + 30_000;
      while (sessions.size > 0 && Date.now() < deadline) await Bun.sleep(100);
      expect(sessions.size).toBe(0);
      await expect(first.client.listTools()).rejects.toThrow(/session not found/);
    } finally {
      await sessions.close();
    }
  }, 60_000);
});

describe("HTTP sessions: Origin and Host (DNS rebinding)", () => {
  const url = (): string => `http://127.0.0.1:${harness.collector.port}/mcp`;
  const headers = { ...POST_HEADERS, authorization: `Bearer ${TEST_API_TOKEN}` };

  test("the real collector refuses a foreign Origin with 403 and opens no session", async () => {
    for (const origin of [
      "http://evil.example",
      "null",
      `http://127.0.0.1.evil.example:${harness.collector.port}`,
    ]) {
      const res = await fetch(url(), {
        method: "POST",
        headers: { ...headers, origin },
        body: JSON.stringify(INITIALIZE),
      });
      expect({ origin, status: res.status }).toEqual({ origin, status: 403 });
      expect(res.headers.get("mcp-session-id")).toBeNull();
      expect(JSON.stringify(await res.json())).toContain("MCP_HTTP_ALLOWED_ORIGINS");
    }
  });

  test("the real collector refuses a Host that is a foreign name with 403; IP literals and localhost pass", async () => {
    for (const host of ["evil.example", `rebind.attacker.test:${harness.collector.port}`, "EVIL.example."]) {
      const res = await fetch(url(), {
        method: "POST",
        headers: { ...headers, host },
        body: JSON.stringify(INITIALIZE),
      });
      expect({ host, status: res.status }).toEqual({ host, status: 403 });
    }
    for (const host of [`127.0.0.1:${harness.collector.port}`, `localhost:${harness.collector.port}`]) {
      const res = await fetch(url(), {
        method: "POST",
        headers: { ...headers, host },
        body: JSON.stringify(INITIALIZE),
      });
      expect({ host, status: res.status }).toEqual({ host, status: 200 });
      const id = res.headers.get("mcp-session-id");
      expect(id).not.toBeNull();
      await fetch(url(), { method: "DELETE", headers: { ...headers, "mcp-session-id": id ?? "" } });
    }
  });

  test("an allowed Origin passes; an existing session is refused too when the Origin is foreign", async () => {
    const { sessions, open } = await inProcess({
      origin: { allowedHosts: ["in-process"], allowedOrigins: ["https://console.lan"] },
    });
    try {
      const ok = await sessions.handle(
        new Request("http://in-process/mcp", {
          method: "POST",
          headers: { ...POST_HEADERS, origin: "https://console.lan" },
          body: JSON.stringify(INITIALIZE),
        }),
        "a",
      );
      expect(ok.status).toBe(200);
      const mine = await open("a");
      const id = mine.transport.sessionId ?? "";
      const hijack = await sessions.handle(
        new Request("http://in-process/mcp", {
          method: "POST",
          headers: { ...POST_HEADERS, origin: "https://evil.example", "mcp-session-id": id },
          body: TOOLS_LIST,
        }),
        "a",
      );
      expect(hijack.status).toBe(403);
    } finally {
      await sessions.close();
    }
  });
});
