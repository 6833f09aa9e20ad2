import { randomBytes } from "node:crypto";
import { accessSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, join, resolve } from "node:path";
import postgres from "postgres";
import { AUTH_FILES } from "../collector/src/nats-auth/auth-files.ts";
import { initNatsAuth } from "../collector/src/nats-auth/init-nats-auth.ts";
import { upgradeNatsAuth } from "../collector/src/nats-auth/upgrade-nats-auth.ts";
import { alertsHint } from "./lib/alerts-hint.ts";
import { runningPid, startDaemon, stopDaemon } from "./lib/daemon.ts";
import { waitForPort } from "./lib/free-port.ts";
import { pinnedInstallLine } from "./lib/install-line.ts";
import { buildAgents, newEnrollmentToken, parseUpArgs, stackTls } from "./lib/lan-mode.ts";
import { NatsProcess } from "./lib/nats-process.ts";
import { writeNatsTlsConfig } from "./lib/nats-tls-config.ts";
import { PgCluster } from "./lib/pg-cluster.ts";

/**
 * The local stack: `bun run up [--listen ADDR]` / `bun run down` / `bun scripts/stack.ts status`.
 * Everything lives under .local/ in the project: a PostgreSQL cluster on 127.0.0.1:9100, nats-server
 * with JetStream and TLS on 127.0.0.1:4222, the collector (HTTPS) on 127.0.0.1:9101 and an agent for
 * this machine. `--listen ADDR` (LAN mode) puts NATS and the collector on that address instead, builds
 * the agent binaries the collector serves, and prints the pinned install line for the next host.
 * The certificate (.local/tls, a site CA of its own) names 127.0.0.1, localhost and ADDR.
 * DATABASE_URL / NATS_URL in the environment select existing servers instead.
 * Our NATS runs in operator (JWT) mode as production does (collector/src/nats-auth): the collector uses
 * its own credentials and the agent credentials minted for this host by `nats issue`.
 */
const root = resolve(import.meta.dir, "..");
const local = join(root, ".local");
const dirs = { run: join(local, "run"), logs: join(local, "logs") };
const natsAuthDir = join(local, "nats-auth");
const agentCredsFile = join(local, "agent.creds");
const PG_PORT = 9100;
const NATS_PORT = 4222;
const COLLECTOR_PORT = 9101;

const dbPasswordFile = join(local, "db-password");
const pg = new PgCluster({
  dataDir: join(local, "postgres"),
  port: PG_PORT,
  database: "infrastructor",
  auth: "password",
  passwordFile: dbPasswordFile,
});
const pidFile = (name: string): string => join(dirs.run, `${name}.pid`);
const logFile = (name: string): string => join(dirs.logs, `${name}.log`);

async function up(): Promise<void> {
  const { listen } = parseUpArgs(process.argv.slice(3));
  const bind = listen ?? "127.0.0.1";
  const ensure = Bun.spawnSync(["bash", join(root, "scripts/ensure-packages.sh"), "stack"], {
    stdout: "inherit",
    stderr: "inherit",
  });
  if (ensure.exitCode !== 0) throw new Error("could not install PostgreSQL / nats-server");
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  checkSameListen(bind);
  const tls = stackTls(local, listen);
  if (listen !== null) buildAgents(root);

  const databaseUrl = process.env.DATABASE_URL ?? (await startPostgres());
  const natsUrl = process.env.NATS_URL ?? (await startNats(bind, tls));
  const token = apiToken();
  // Credentials only for our own NATS: a server named by NATS_URL has its own auth.
  const ownNats = process.env.NATS_URL === undefined;
  const collectorNatsEnv: Record<string, string> = ownNats
    ? {
        NATS_CREDS: join(natsAuthDir, AUTH_FILES.collectorCreds),
        NATS_AUTH_DIR: natsAuthDir,
        NATS_CA: tls.caFile,
      }
    : {};
  const collectorUrl = `https://${bind}:${COLLECTOR_PORT}`;

  if (!runningPid(pidFile("collector"))) {
    startDaemon(["bun", join(root, "collector/src/main.ts")], {
      pidFile: pidFile("collector"),
      logFile: logFile("collector"),
      env: {
        DATABASE_URL: databaseUrl,
        NATS_URL: natsUrl,
        COLLECTOR_API_TOKEN: token,
        COLLECTOR_HOST: bind,
        COLLECTOR_PORT: String(COLLECTOR_PORT),
        COLLECTOR_TLS: "on",
        COLLECTOR_TLS_CERT: tls.certFile,
        COLLECTOR_TLS_KEY: tls.keyFile,
        COLLECTOR_PUBLIC_URL: collectorUrl,
        AGENT_DIST_DIR: join(root, "dist"),
        ...collectorNatsEnv,
      },
    });
  }
  await waitForHealth(`${collectorUrl}/health`, readFileSync(tls.caFile, "utf8"), 60_000);

  if (!runningPid(pidFile("agent"))) {
    if (ownNats) issueAgentCreds({ DATABASE_URL: databaseUrl, NATS_URL: natsUrl, ...collectorNatsEnv });
    startDaemon(
      ["bun", join(root, "agent/src/main.ts"), "--config", agentConfig(natsUrl, ownNats ? tls.caFile : null)],
      {
        pidFile: pidFile("agent"),
        logFile: logFile("agent"),
        env: ownNats ? { NATS_CREDS: agentCredsFile } : {},
      },
    );
  }
  const waited = await waitForFirstSample(databaseUrl, 90_000);
  console.log(`
Infrastructor is running (data and logs under .local/):
  PostgreSQL  ${redact(databaseUrl)}${process.env.DATABASE_URL ? " (yours)" : ""}
  NATS        ${natsUrl}${process.env.NATS_URL ? " (yours)" : " (JetStream, TLS, per-host credentials in .local/nats-auth)"}
  collector   ${collectorUrl}  (HTTPS, CA .local/tls/ca.pem, pin ${tls.pin}; /api/* with the token in .local/api-token)
  agent       host "${shortHostname()}", logs in .local/logs/agent.log
First system sample in the database after ${(waited / 1000).toFixed(1)} s.
Try:  curl -s --cacert .local/tls/ca.pem -H "Authorization: Bearer $(cat .local/api-token)" ${collectorUrl}/api/devices
Stop: bun run down`);
  console.log(alertsHint(process.env.ALERTS_CONFIG));
  if (listen !== null) printJoinLine(collectorUrl, tls.pin, databaseUrl);
}

/** LAN mode: the one line that installs the agent on the next host, with a fresh single-use token. */
function printJoinLine(collectorUrl: string, pin: string, databaseUrl: string): void {
  const line = pinnedInstallLine({ collectorUrl, pin });
  const token = newEnrollmentToken(root, databaseUrl);
  console.log(`
Add a host (on it, with sudo; NATS ${NATS_PORT} and ${COLLECTOR_PORT}/tcp must be reachable from it):
  ${line}
and paste this enrollment token when it asks (single-use, 24 h; never put it on a command line):
  ${token}
Another token (bound to the host that will use it):
  DATABASE_URL=${databaseUrl.replace(/:[^:@/]*@/, ":$(cat .local/db-password)@")} \\
    bun collector/src/cli.ts enroll-token create --host NAME --ttl 24h`);
}

/** NATS and the collector keep the address they were started on: changing it needs a restart. */
function checkSameListen(bind: string): void {
  const file = join(local, "listen");
  const before = existsSync(file) ? readFileSync(file, "utf8").trim() : "127.0.0.1";
  const running = ["nats", "collector", "agent"].some((name) => runningPid(pidFile(name)));
  if (running && before !== bind) {
    throw new Error(`the stack runs on ${before}; run bun run down first to move it to ${bind}`);
  }
  writeFileSync(file, `${bind}\n`);
}

async function down(): Promise<void> {
  for (const name of ["agent", "collector", "nats"]) {
    if (await stopDaemon(pidFile(name))) console.log(`stopped ${name}`);
  }
  if (pg.isInitialized() && (await pg.isRunning())) {
    await pg.stop("fast");
    console.log("stopped postgres");
  }
}

async function status(): Promise<void> {
  for (const name of ["nats", "collector", "agent"]) {
    const pid = runningPid(pidFile(name));
    console.log(`${name.padEnd(10)} ${pid ? `running (pid ${pid})` : "stopped"}`);
  }
  console.log(
    `${"postgres".padEnd(10)} ${pg.isInitialized() && (await pg.isRunning()) ? "running" : "stopped"}`,
  );
}

/**
 * The local cluster with passwords (scripts/lib/pg-cluster.ts): the superuser only through the 0700
 * socket directory as the server's own account, the collector and the MCP server as `infrastructor`
 * (no superuser) with the password in .local/db-password.
 */
async function startPostgres(): Promise<string> {
  checkTraversable(local);
  dbPassword();
  if (!pg.isInitialized()) await pg.init();
  else if (pg.trustsEveryone()) {
    throw new Error(
      `${pg.dataDir} was created with trust authentication: any local user is its superuser. ` +
        "Stop the stack (bun run down), move it aside (mv .local/postgres .local/postgres.trust) and " +
        "run bun run up again for a cluster with passwords; the old data stays in .local/postgres.trust " +
        "(copy it over with pg_dump / pg_restore --no-owner if you need it).",
    );
  }
  if (!(await pg.isRunning())) await pg.start();
  await pg.createDatabase();
  return pg.url;
}

/** The application role's password, generated once (0600): read by psql users via PGPASSWORD. */
function dbPassword(): void {
  if (!existsSync(dbPasswordFile))
    writeFileSync(dbPasswordFile, randomBytes(24).toString("hex"), { mode: 0o600 });
}

async function startNats(bind: string, tls: { certFile: string; keyFile: string }): Promise<string> {
  if (!existsSync(join(natsAuthDir, AUTH_FILES.state))) await initNatsAuth(natsAuthDir);
  else if ((await upgradeNatsAuth(natsAuthDir)).upgraded) {
    console.log("NATS auth upgraded: hosts now have their own account; hosts enrolled before must re-enroll");
  }
  // TLS for every client, then the JWT auth include (relative to this file's directory).
  const config = join(local, "nats.conf");
  writeNatsTlsConfig(config, { ...tls, include: `nats-auth/${AUTH_FILES.serverConfig}` });
  const nats = new NatsProcess({
    storeDir: join(local, "nats"),
    host: bind,
    port: NATS_PORT,
    logFile: logFile("nats"),
    args: ["-c", config],
  });
  if (!runningPid(pidFile("nats"))) {
    mkdirSync(nats.storeDir, { recursive: true });
    startDaemon(nats.argv(), { pidFile: pidFile("nats"), logFile: logFile("nats-stdout") });
    await waitForPort(bind, NATS_PORT, 15_000);
  }
  return `tls://${bind}:${NATS_PORT}`;
}

/**
 * The agent's config file: the same shape /etc/infrastructor/agent.json has on a host. Written at every
 * start, as NATS's address and TLS follow `--listen`.
 */
function agentConfig(natsUrl: string, caFile: string | null): string {
  const file = join(local, "agent.json");
  const config = {
    host: shortHostname(),
    nats: { url: natsUrl, ...(caFile === null ? {} : { ca_file: caFile }) },
    spool: { dir: join(local, "agent-spool") },
  };
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/** This host's agent credentials, minted once through the operator CLI (`nats issue`). */
function issueAgentCreds(env: Record<string, string>): void {
  if (existsSync(agentCredsFile)) return;
  const issue = Bun.spawnSync(
    ["bun", join(root, "collector/src/cli.ts"), "nats", "issue", shortHostname(), "--out", agentCredsFile],
    { env: { ...process.env, ...env }, stdout: "inherit", stderr: "inherit" },
  );
  if (issue.exitCode !== 0) throw new Error("could not issue NATS credentials for the local agent");
}

function apiToken(): string {
  const file = join(local, "api-token");
  if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString("hex"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

async function waitForHealth(url: string, ca: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { tls: { ca } });
      if (res.ok) return;
      last = await res.text();
    } catch (err) {
      last = String(err);
    }
    await Bun.sleep(250);
  }
  throw new Error(
    `collector not healthy after ${timeoutMs / 1000} s (${last}); see .local/logs/collector.log`,
  );
}

async function waitForFirstSample(databaseUrl: string, timeoutMs: number): Promise<number> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const started = Date.now();
  try {
    while (Date.now() - started < timeoutMs) {
      if (!runningPid(pidFile("agent"))) throw new Error(`the agent exited: ${lastLine(logFile("agent"))}`);
      // A sample of this run: one left from an earlier `up` proves nothing about this one.
      const rows = await sql`
        SELECT 1 FROM system_metrics m JOIN devices d ON d.id = m.device_id
        WHERE d.hostname = ${shortHostname()} AND m.time >= ${new Date(started - 2_000)} LIMIT 1`;
      if (rows.length > 0) return Date.now() - started;
      await Bun.sleep(500);
    }
    throw new Error("no system sample reached the database; see .local/logs/agent.log and collector.log");
  } finally {
    await sql.end();
  }
}

/** PostgreSQL runs as the `postgres` user when we are root: it must be able to reach .local/. */
function checkTraversable(dir: string): void {
  if (process.getuid?.() !== 0) return;
  for (let d = dirname(dir); d !== "/"; d = dirname(d)) {
    const probe = Bun.spawnSync(["runuser", "-u", "postgres", "--", "test", "-x", d]);
    if (probe.exitCode !== 0) {
      throw new Error(
        `the postgres user cannot enter ${d}; run from a checkout it can reach or set DATABASE_URL`,
      );
    }
  }
  accessSync(root, constants.W_OK);
}

function lastLine(file: string): string {
  const lines = existsSync(file) ? readFileSync(file, "utf8").trim().split("\n") : [];
  return lines.at(-1) ?? "(no log)";
}

function shortHostname(): string {
  return (hostname().split(".")[0] ?? "localhost").toLowerCase();
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, "//$1:***@");
}

const command = process.argv[2] ?? "up";
const actions: Record<string, () => Promise<void>> = { up, down, status };
const action = actions[command];
if (!action) {
  console.error("usage: bun scripts/stack.ts up [--listen ADDRESS]|down|status");
  process.exit(2);
}
action().catch((err) => {
  console.error(`stack ${command} failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
