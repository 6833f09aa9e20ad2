import { Hono } from "hono";

/** What serves MCP over Streamable HTTP (mcp/src/http/http-sessions.ts). */
export interface McpEndpoint {
  handle(request: Request): Promise<Response>;
}

/** /mcp: POST (messages), GET (the server's event stream) and DELETE (end the session). */
export function mcpRoutes(endpoint: McpEndpoint): Hono {
  return new Hono().on(["GET", "POST", "DELETE"], "/mcp", (c) => endpoint.handle(c.req.raw));
}
