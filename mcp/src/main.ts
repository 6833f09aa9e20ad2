import { toAppError } from "@infrastructor/shared/errors.ts";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createBackend } from "./backend.ts";
import { loadMcpConfig } from "./config.ts";
import { sshLiveSource } from "./live/ssh-live-source.ts";
import { createMcpLogger } from "./logger.ts";
import { createMcpServer } from "./server.ts";

/**
 * `bun mcp/src/main.ts`: the MCP server over stdio, as an MCP client (Claude Desktop, Claude Code)
 * starts it. stdout is the protocol; logs go to stderr. Ends when the client closes stdin.
 */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadMcpConfig>;
  try {
    config = loadMcpConfig();
  } catch (err) {
    process.stderr.write(`${toAppError(err).message}\n`);
    process.exit(2);
  }
  const log = createMcpLogger(config.logLevel);
  const backend = createBackend(config, log, (store) => sshLiveSource(config, store, log));
  const server = createMcpServer(backend.deps);
  let closing = false;
  const shutdown = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    await server.close().catch(() => {});
    await backend.close().catch(() => {});
    process.exit(0);
  };
  process.stdin.on("close", shutdown);
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
  await server.connect(new StdioServerTransport());
  log.info("mcp server ready on stdio");
}

await main();
