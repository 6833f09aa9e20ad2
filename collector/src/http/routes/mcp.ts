import { createHash } from "node:crypto";
import type { Context } from "hono";
import { Hono } from "hono";
import { getConnInfo } from "hono/bun";

/** What serves MCP over Streamable HTTP (mcp/src/http/http-sessions.ts). */
export interface McpEndpoint {
  /** `client` keys the per-client session cap. */
  handle(request: Request, client: string): Promise<Response>;
}

/** /mcp: POST (messages), GET (the server's event stream) and DELETE (end the session). */
export function mcpRoutes(endpoint: McpEndpoint): Hono {
  return new Hono().on(["GET", "POST", "DELETE"], "/mcp", (c) => endpoint.handle(c.req.raw, clientKey(c)));
}

/**
 * One client = one bearer token from one address: the token's hash (never the token) and the peer's
 * address as Bun.serve saw it (not a forwarded header, which the client writes itself).
 */
function clientKey(c: Context): string {
  const token = createHash("sha256")
    .update(c.req.header("authorization") ?? "")
    .digest("hex")
    .slice(0, 12);
  let address = "unknown";
  try {
    address = getConnInfo(c).remote.address ?? "unknown";
  } catch {
    // app.request() in tests: no server, no peer address.
  }
  return `${token}@${address}`;
}
