import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { Logger } from "../logger.ts";
import { createMcpServer, type McpDeps } from "../server.ts";

export interface HttpSessionOptions {
  /** A session with no request for this long is closed. */
  idleMs: number;
  /** New sessions beyond this many are refused with 503 until one ends. */
  maxSessions: number;
}

const SSE_KEEP_ALIVE_MS = 5_000;

interface Session {
  server: McpServer;
  transport: WebStandardStreamableHTTPServerTransport;
  lastActive: number;
}

/**
 * MCP over Streamable HTTP: one server and transport per session, found by the Mcp-Session-Id header.
 * A POSTed initialize without a session id opens one; DELETE, the idle timeout or close() ends it.
 * Every session shares the backend (database pool, live source). Authentication is the caller's job.
 */
export class McpHttpSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly sweeper: ReturnType<typeof setInterval>;
  private closed = false;

  constructor(
    private readonly deps: McpDeps,
    private readonly options: HttpSessionOptions,
    private readonly log: Logger,
  ) {
    const every = Math.max(250, Math.min(60_000, Math.floor(options.idleMs / 4)));
    this.sweeper = setInterval(() => void this.closeIdle(), every);
    this.sweeper.unref?.();
  }

  get size(): number {
    return this.sessions.size;
  }

  async handle(request: Request): Promise<Response> {
    if (this.closed) return rpcError(503, "the MCP endpoint is shutting down");
    const id = request.headers.get("mcp-session-id");
    if (id !== null) {
      const session = this.sessions.get(id);
      if (session === undefined)
        return rpcError(404, "session not found: it ended or expired; initialize again");
      session.lastActive = Date.now();
      try {
        return await session.transport.handleRequest(request);
      } finally {
        session.lastActive = Date.now();
      }
    }
    if (request.method !== "POST") {
      return rpcError(400, "no Mcp-Session-Id header: POST an initialize request first");
    }
    if (this.sessions.size >= this.options.maxSessions) {
      return rpcError(503, `too many MCP sessions (${this.options.maxSessions}); close one or retry later`);
    }
    return this.open(request);
  }

  private async open(request: Request): Promise<Response> {
    const server = createMcpServer(this.deps);
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => crypto.randomUUID(),
      // An SSE comment every 5 s keeps a stream (a slow tool call, the GET stream) under Bun.serve's
      // default 10 s idle timeout.
      keepAliveMs: SSE_KEEP_ALIVE_MS,
      onsessioninitialized: (id) => {
        this.sessions.set(id, { server, transport, lastActive: Date.now() });
        this.log.debug({ session: id }, "mcp session opened");
      },
      onsessionclosed: (id) => {
        this.sessions.delete(id);
        this.log.debug({ session: id }, "mcp session closed by the client");
        void server.close();
      },
    });
    await server.connect(transport);
    const response = await transport.handleRequest(request);
    // Anything but a valid initialize is answered with an error and leaves no session behind.
    if (transport.sessionId === undefined) await server.close();
    return response;
  }

  private async closeIdle(): Promise<void> {
    const cutoff = Date.now() - this.options.idleMs;
    for (const [id, session] of this.sessions) {
      if (session.lastActive > cutoff) continue;
      this.sessions.delete(id);
      this.log.info({ session: id }, "mcp session closed after idling");
      await session.server.close().catch(() => {});
    }
  }

  /** Ends every session (their open streams close) and refuses new ones. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.server.close().catch(() => {})));
  }
}

/** A JSON-RPC error body, as the SDK's transport writes its own refusals. */
function rpcError(status: number, message: string): Response {
  return Response.json({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }, { status });
}
