// An MCP client as Claude Desktop / Claude Code run one: Node, whose child stdio are socket pairs (libuv),
// which is what makes a `bash -c` between client and server source ~/.bashrc. Run by transports.test.ts as
// `node node-stdio-client.mjs COMMAND ARGS...` with DATABASE_URL, HOME and CLIENT_CWD set; prints one JSON
// line: the server's name and tool count, or the error the client saw.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [command, ...args] = process.argv.slice(2);
const transport = new StdioClientTransport({
  command,
  args,
  cwd: process.env.CLIENT_CWD,
  env: { DATABASE_URL: process.env.DATABASE_URL, HOME: process.env.HOME, LOG_LEVEL: "warn" },
  stderr: "ignore",
});
const client = new Client({ name: "node-stdio-test", version: "1.0.0" });
const timeout = setTimeout(() => {
  process.stdout.write(`${JSON.stringify({ error: "no answer within 30 s" })}\n`);
  process.exit(1);
}, 30_000);
try {
  await client.connect(transport);
  const { tools } = await client.listTools();
  process.stdout.write(
    `${JSON.stringify({ server: client.getServerVersion()?.name, tools: tools.length })}\n`,
  );
} catch (err) {
  process.stdout.write(`${JSON.stringify({ error: String(err) })}\n`);
} finally {
  clearTimeout(timeout);
  await client.close();
}
