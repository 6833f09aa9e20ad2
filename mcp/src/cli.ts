import { parseArgs } from "node:util";
import { connectDatabase } from "@infrastructor/lib/db/connect.ts";
import { setDeviceTarget } from "@infrastructor/lib/exec/ssh/device-target.ts";
import { trustHost } from "@infrastructor/lib/exec/ssh/trust-host.ts";
import { cliFailure, UsageError } from "@infrastructor/shared/cli-errors.ts";
import { loadMcpConfig } from "./config.ts";

const USAGE = `usage:
  bun mcp/src/cli.ts trust-host <device>
      forget the pinned SSH host key of the device's target, connect once and pin the key it presents now
  bun mcp/src/cli.ts set-target <device> --host HOST [--port 22] --user USER (--key PATH | --agent)
      set the device's SSH target (key file, or the ssh-agent from SSH_AUTH_SOCK)
DATABASE_URL names the database.`;

/** Exit 0 done, 1 failed (`CODE: message` on stderr), 2 usage error. */
export async function main(
  argv: string[],
  env: Record<string, string | undefined>,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command !== "trust-host" && command !== "set-target")
      throw new UsageError(`unknown command: ${command ?? "(none)"}`);
    const parsed = parse(command, rest);
    const config = loadMcpConfig(env);
    const handles = connectDatabase(config.databaseUrl, 1, undefined, config.databaseLimits);
    const { db } = handles;
    try {
      if (parsed.command === "set-target") {
        await setDeviceTarget(db, parsed.device, parsed.change);
        const how = parsed.change.keyPath ?? "the ssh-agent";
        out(
          `${parsed.device}: ${parsed.change.user}@${parsed.change.host}:${parsed.change.port} with ${how}`,
        );
        return 0;
      }
      await trustHost(db, parsed.device, config.ssh, out);
      return 0;
    } finally {
      await handles.close();
    }
  } catch (e) {
    return cliFailure(e, USAGE, err);
  }
}

type Parsed =
  | { command: "trust-host"; device: string }
  | {
      command: "set-target";
      device: string;
      change: { host: string; port: number; user: string; keyPath: string | null };
    };

function parse(command: "trust-host" | "set-target", args: string[]): Parsed {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options:
      command === "trust-host"
        ? {}
        : {
            host: { type: "string" },
            port: { type: "string" },
            user: { type: "string" },
            key: { type: "string" },
            agent: { type: "boolean" },
          },
  });
  const [device, ...extra] = positionals;
  if (device === undefined || extra.length > 0)
    throw new UsageError(`${command} takes exactly one device name`);
  if (command === "trust-host") return { command, device };
  const v = values as { host?: string; port?: string; user?: string; key?: string; agent?: boolean };
  if (v.host === undefined || v.user === undefined)
    throw new UsageError("set-target needs --host and --user");
  if ((v.key === undefined) === (v.agent !== true))
    throw new UsageError("set-target needs exactly one of --key PATH or --agent");
  const port = v.port === undefined ? 22 : Number(v.port);
  if (!/^\d+$/.test(v.port ?? "22")) throw new UsageError(`--port must be a number: ${v.port}`);
  return { command, device, change: { host: v.host, port, user: v.user, keyPath: v.key ?? null } };
}

if (import.meta.main) {
  const code = await main(
    process.argv.slice(2),
    process.env,
    (line) => console.log(line),
    (line) => console.error(line),
  );
  process.exit(code);
}
