import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { connectDatabase } from "@infrastructor/lib/db/connect.ts";
import type { Database } from "@infrastructor/lib/db/database.ts";
import { sessionParameters } from "@infrastructor/lib/db/db-limits.ts";
import { Freshness } from "@infrastructor/lib/db/freshness.ts";
import { PgHostKeyStore } from "@infrastructor/lib/exec/ssh/host-key-store.ts";
import { SshPool } from "@infrastructor/lib/exec/ssh/ssh-pool.ts";
import { trustHost } from "@infrastructor/lib/exec/ssh/trust-host.ts";
import { cliFailure, UsageError } from "@infrastructor/shared/cli-errors.ts";
import { parseDurationMs } from "@infrastructor/shared/duration.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { Kysely } from "kysely";
import { PostgresJSDialect } from "kysely-postgres-js";
import postgres from "postgres";
import { installerScript } from "../../collector/src/enroll/installer-script.ts";
import { alertsCommand, alertsTest } from "./alerts/alerts-command.ts";
import { CollectorClient } from "./collector-client.ts";
import { type InfraConfig, loadInfraConfig } from "./config.ts";
import { AgentBinaries } from "./deploy/agent-binaries.ts";
import { deployAll } from "./deploy/deploy-all.ts";
import { deployHost } from "./deploy/deploy-host.ts";
import { summaryTable } from "./deploy/deploy-result.ts";
import type { ProgressOutput } from "./deploy/progress-display.ts";
import { addDevice, listDevices, removeDevice } from "./devices/devices-command.ts";
import { fleetStatus, statusTable } from "./status/fleet-status.ts";

const REPO = resolve(import.meta.dir, "../..");

export const USAGE = `usage: bun run infra <command>
  devices add <device> --host HOST [--port 22] --user USER (--key PATH | --agent) [--tag T]...
  devices list
  devices remove <device>
  devices trust-host-key <device>    forget the pinned host key, connect once, pin the one presented now
  alerts list [--state S] [--device D] [--since 2h]   the alerts, firing first, and recent events
  alerts ack <key> [--by NAME]       acknowledge a firing alert: no repeats until it changes
  alerts mute (--device D | --rule R | --key K | --tag T)... --for 2h --reason TEXT [--by NAME]
  alerts unmute <id>                 end a mute now
  alerts test <channel>              send a test message through a channel of ALERTS_CONFIG
  status                             every device: last seen, agent version, domains fresh and stale
  deploy (<device>... | --all) [--concurrency 8] [--timeout 60s] [--agent-dir DIR] [--replace]
      install or upgrade the agent over SSH (SFTP + install.sh as root) and wait for its first message;
      an upgrade that does not report within --timeout is rolled back; --replace: a device without an
      agent config whose name is still enrolled (reinstalled) takes the name over (its old key is revoked)
Environment: DATABASE_URL (not for alerts test: ALERTS_CONFIG); for deploy also COLLECTOR_URL, COLLECTOR_API_TOKEN and, when the hosts reach
the collector at another address, COLLECTOR_PUBLIC_URL; for an https:// collector with a certificate of its
own CA, COLLECTOR_CA (that CA, PEM) and COLLECTOR_PIN (the sha256// pin it logs, which the hosts' installer
is held to); SSH settings as the MCP server's (MCP_SSH_*).`;

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Where deploy progress goes (stdout; in place when it is a terminal). */
  progress: ProgressOutput;
}

/** Exit 0 done, 1 failed (`CODE: message`; for deploy, any host not deployed), 2 usage or configuration. */
export async function main(argv: string[], env: Record<string, string | undefined>, io: Io): Promise<number> {
  let config: InfraConfig;
  const [group, ...rest] = argv;
  try {
    if (group === "devices" && rest[0] === "trust-host-key") {
      return await trustHostKey(rest.slice(1), env, io);
    }
    if (group === "alerts" && rest[0] === "test") return await alertsTest(rest.slice(1), env, io, USAGE);
    if (group !== "devices" && group !== "status" && group !== "deploy" && group !== "alerts")
      throw new UsageError(`unknown command: ${group ?? "(none)"}`);
    config = loadInfraConfig(env);
  } catch (e) {
    return fail(e, io);
  }
  const sql = postgres(config.database.url, {
    max: 4,
    connect_timeout: 10,
    connection: sessionParameters(config.database.limits),
    onnotice: () => undefined,
  });
  const db = new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: sql }) });
  try {
    if (group === "status") {
      const now = new Date();
      io.out(statusTable(await fleetStatus(db, new Freshness(config.staleness), now), now));
      return 0;
    }
    if (group === "devices") return await devices(db, rest, io);
    if (group === "alerts") {
      await alertsCommand(sql, rest, env, io.out);
      return 0;
    }
    return await deploy(db, config, rest, io);
  } catch (e) {
    return fail(e, io);
  } finally {
    await db.destroy();
  }
}

/**
 * `devices trust-host-key`: the same work as the MCP CLI's trust-host (lib/exec/ssh/trust-host.ts). A
 * failure of the work itself (no such device, no SSH target, unreachable) exits 1, as it always has.
 */
async function trustHostKey(
  args: string[],
  env: Record<string, string | undefined>,
  io: Io,
): Promise<number> {
  let device: string;
  let config: InfraConfig;
  try {
    const { positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: {} });
    if (positionals.length !== 1 || positionals[0] === undefined)
      throw new UsageError("devices trust-host-key takes exactly one device");
    device = positionals[0];
    config = loadInfraConfig(env);
  } catch (e) {
    return fail(e, io);
  }
  const handles = connectDatabase(config.database.url, 1, undefined, config.database.limits);
  try {
    await trustHost(handles.db, device, config.ssh, io.out);
    return 0;
  } catch (e) {
    return cliFailure(e, USAGE, io.err);
  } finally {
    await handles.close();
  }
}

async function devices(db: Kysely<Database>, args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "list") {
    io.out(await listDevices(db));
    return 0;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options:
      sub === "add"
        ? {
            host: { type: "string" },
            port: { type: "string" },
            user: { type: "string" },
            key: { type: "string" },
            agent: { type: "boolean" },
            tag: { type: "string", multiple: true },
          }
        : {},
  });
  const [device, ...extra] = positionals;
  if (device === undefined || extra.length > 0)
    throw new UsageError(`devices ${sub} takes exactly one device`);
  if (sub === "remove") {
    io.out(await removeDevice(db, device));
    return 0;
  }
  if (sub !== "add") throw new UsageError(`unknown devices command: ${sub ?? "(none)"}`);
  const v = values as {
    host?: string;
    port?: string;
    user?: string;
    key?: string;
    agent?: boolean;
    tag?: string[];
  };
  if (v.host === undefined || v.user === undefined)
    throw new UsageError("devices add needs --host and --user");
  if ((v.key === undefined) === (v.agent !== true))
    throw new UsageError("devices add needs --key PATH or --agent");
  if (!/^\d{1,5}$/.test(v.port ?? "22")) throw new UsageError(`--port must be a number: ${v.port}`);
  const keyPath = v.key === undefined ? null : resolve(v.key);
  const change = { host: v.host, port: Number(v.port ?? 22), user: v.user, keyPath };
  io.out(await addDevice(db, device, change, v.tag ?? []));
  return 0;
}

async function deploy(db: Kysely<Database>, config: InfraConfig, args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      all: { type: "boolean" },
      concurrency: { type: "string" },
      timeout: { type: "string" },
      "agent-dir": { type: "string" },
      // A device with no agent config whose name the collector knows (reinstalled): take the name over.
      replace: { type: "boolean" },
    },
  });
  if (values.all === true && positionals.length > 0) throw new UsageError("give devices or --all, not both");
  const concurrency = Number(values.concurrency ?? 8);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)
    throw new UsageError(`--concurrency must be 1..256: ${values.concurrency}`);
  const timeoutMs = parseDurationMs(values.timeout ?? "60s");
  if (timeoutMs === null || timeoutMs < 1000)
    throw new UsageError(`--timeout must be a duration of 1s or more`);
  if (config.collectorUrl === null || config.collectorPublicUrl === null || config.apiToken === null) {
    throw new AppError(
      ErrorCode.CONFIG_INVALID,
      "deploy needs COLLECTOR_URL and COLLECTOR_API_TOKEN (16+ characters)",
    );
  }
  const targets =
    values.all === true
      ? (
          await db
            .selectFrom("devices")
            .select("hostname")
            .where("ssh_host", "is not", null)
            .orderBy("hostname")
            .execute()
        ).map((r) => r.hostname)
      : positionals;
  if (targets.length === 0)
    throw new UsageError(
      values.all ? "no device has an SSH target (devices add)" : "which devices? (or --all)",
    );

  const agentDir = values["agent-dir"];
  const pool = new SshPool({
    hostKeys: { store: new PgHostKeyStore(db), knownHostsPath: config.ssh.knownHostsPath },
    agentSocket: config.ssh.agentSocket,
    connectTimeoutMs: config.ssh.connectTimeoutMs,
  });
  try {
    const ctx = {
      db,
      pool,
      binaries: new AgentBinaries(
        agentDir === undefined
          ? { distDir: join(REPO, "dist"), repoRoot: REPO }
          : { distDir: resolve(agentDir), repoRoot: null },
      ),
      collector: new CollectorClient(
        config.collectorUrl,
        config.apiToken,
        config.collectorCaFile === null ? null : readCollectorCa(config.collectorCaFile),
      ),
      collectorUrlForHosts: config.collectorPublicUrl,
      // This checkout's installer, as the collector would serve it: it matches the agent being deployed.
      // With COLLECTOR_PIN, the hosts' enrollment POST is held to the collector's key.
      installScript: await installerScript(config.collectorPublicUrl, config.collectorPin),
      reportTimeoutMs: timeoutMs,
      installTimeoutMs: 300_000,
      existingHost: values.replace === true ? ("replace" as const) : ("refuse" as const),
    };
    const results = await deployAll(
      targets,
      concurrency,
      (device, progress) => deployHost(ctx, device, progress),
      io.progress,
    );
    io.out(summaryTable(results));
    return results.every((r) => r.outcome !== "failed" && r.outcome !== "rolled back") ? 0 : 1;
  } finally {
    await pool.close();
  }
}

function fail(e: unknown, io: Io): number {
  return cliFailure(e, USAGE, io.err, [ErrorCode.CONFIG_INVALID]);
}

if (import.meta.main) {
  const code = await main(process.argv.slice(2), process.env, {
    out: (text) => console.log(text),
    err: (text) => console.error(text),
    progress: { isTTY: process.stdout.isTTY === true, write: (text) => process.stdout.write(text) },
  });
  process.exit(code);
}

function readCollectorCa(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw new AppError(
      ErrorCode.CONFIG_INVALID,
      `COLLECTOR_CA: cannot read ${file}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}
