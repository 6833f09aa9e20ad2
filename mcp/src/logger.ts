import pino, { type Logger } from "pino";

export type { Logger };

/** stdout carries the MCP protocol over stdio, so the server's own logs go to stderr. */
export function createMcpLogger(level: string): Logger {
  return pino(
    { name: "mcp", level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination(2),
  );
}
