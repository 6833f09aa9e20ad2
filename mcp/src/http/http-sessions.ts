import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { Logger } from "../logger.ts";
import { createMcpServer, type McpDeps } from "../server.ts";
import { type OriginPolicy, refuseForeignOrigin } from "./request-origin.ts";

export interface HttpSessionOptions {
  /** A session with no request for this long is closed. */
  idleMs: number;
  /** Sessions of all clients together; at the cap, a new one closes the biggest client's least recent. */
  maxSessions: number;
  /** Sessions of one client (token and address); at the cap, its new one closes its least recent. */
  maxSessionsPerClient: number;
  /** Host and Origin checks (request-origin.ts). */
  origin: OriginPolicy;
}

/** Who opens sessions, for the per-client cap: the collector passes the bearer token's hash and address. */
export const UNKNOWN_CLIENT = "unknown";

const SSE_KEEP_ALIVE_MS = 5_000;

interface Session {
  client: string;
  server: McpServer;
  transport: WebStandardStreamableHTTPServerTransport;
  lastActive: number;
}

/**
 * MCP over Streamable HTTP: one server and transport per session, found by the Mcp-Session-Id header.
 * A POSTed initialize without a session id opens one; DELETE, the idle timeout or close() ends it.
 * Every session shares the backend (database pool, live source). Authentication is the caller's job.
 * Sessions are capped per client and in total, and a new session never waits for, or is refused
 * because of, another client's: one client that never closes its sessions only loses its own oldest
 * (and, at the total cap, the client holding the most loses its least recently used one).
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

  /** Sessions open per client key right now (for tests and metrics). */
  sizeOf(client: string): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s.client === client) n += 1;
    return n;
  }

  async handle(request: Request, client: string = UNKNOWN_CLIENT): Promise<Response> {
    if (this.closed) return rpcError(503, "the MCP endpoint is shutting down");
    const refused = refuseForeignOrigin(request, this.options.origin);
    if (refused !== null) {
      this.log.warn({ reason: refused }, "mcp request refused");
      return rpcError(403, refused);
    }
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
    return this.open(request, client);
  }

  private async open(request: Request, client: string): Promise<Response> {
    const server = createMcpServer(this.deps);
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => crypto.randomUUID(),
      // An SSE comment every 5 s keeps a stream (a slow tool call, the GET stream) under Bun.serve's
      // default 10 s idle timeout.
      keepAliveMs: SSE_KEEP_ALIVE_MS,
      onsessioninitialized: (id) => {
        // Room is made only for a valid initialize: a stray request never closes anyone's session.
        this.makeRoom(client);
        this.sessions.set(id, { client, server, transport, lastActive: Date.now() });
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

  /** Closes sessions until `client` may open one more: its own least recent first, then the biggest client's. */
  private makeRoom(client: string): void {
    while (this.sizeOf(client) >= this.options.maxSessionsPerClient) this.evict(client);
    while (this.sessions.size >= this.options.maxSessions) this.evict(this.biggestClient());
  }

  private biggestClient(): string {
    const counts = new Map<string, number>();
    for (const s of this.sessions.values()) counts.set(s.client, (counts.get(s.client) ?? 0) + 1);
    let biggest = UNKNOWN_CLIENT;
    let most = -1;
    for (const [c, n] of counts) {
      if (n > most) [biggest, most] = [c, n];
    }
    return biggest;
  }

  /** Closes the least recently active session of `client`. */
  private evict(client: string): void {
    let oldest: [string, Session] | null = null;
    for (const entry of this.sessions) {
      if (entry[1].client !== client) continue;
      if (oldest === null || entry[1].lastActive < oldest[1].lastActive) oldest = entry;
    }
    if (oldest === null) throw new Error(`no session of ${client} to close`);
    const [id, session] = oldest;
    this.sessions.delete(id);
    this.log.info({ session: id, client }, "mcp session closed to make room for a new one");
    void session.server.close().catch(() => {});
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
