import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFile, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CollectorProcess, spawnCollector } from "@infrastructor/lib/testing/collector-process.ts";
import { compileAgent } from "@infrastructor/lib/testing/compile-agent.ts";
import { type NetnsHost, startNetnsHost } from "@infrastructor/lib/testing/netns-host.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import postgres, { type Sql } from "postgres";
import { main as cli } from "../../collector/src/cli.ts";
import { AUTH_FILES } from "../../collector/src/nats-auth/auth-files.ts";
import { initNatsAuth } from "../../collector/src/nats-auth/init-nats-auth.ts";
import { ensureTlsMaterial, type TlsMaterial } from "../../collector/src/tls/tls-material.ts";
import { freePort } from "../../scripts/lib/free-port.ts";
import { pinnedInstallLine } from "../../scripts/lib/install-line.ts";
import { NatsProcess } from "../../scripts/lib/nats-process.ts";
import { writeNatsTlsConfig } from "../../scripts/lib/nats-tls-config.ts";
import { runMigrations } from "../../sql/src/migrate.ts";

/**
 * A second host joins over the LAN with the one pinned line `bun run up --listen` prints: a network
 * namespace with an address of its own runs that line with its own sh and curl; install.sh, the agent,
 * its SHA-256 and the enrollment (with the host's NATS seed) come over HTTPS held to the pin, and the
 * agent speaks tls:// to nats-server with the site CA. Before that, an impostor on the same address and
 * port with another self-signed certificate gets no request and installs nothing.
 */
let host: NetnsHost;
let pg: Awaited<ReturnType<typeof startTestPostgres>>;
let nats: NatsProcess;
let collector: CollectorProcess | null = null;
let sql: Sql;
let dir: string;
let site: TlsMaterial;
let collectorPort: number;
let line: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "infra-lan-"));
  host = await startNetnsHost("lanhost");
  const distDir = join(dir, "dist");
  const [postgresCluster] = await Promise.all([
    startTestPostgres(),
    compileAgent(join(distDir, "infrastructor-agent-linux-x64"), true),
  ]);
  pg = postgresCluster;
  sql = postgres(pg.url, { max: 2, onnotice: () => {} });
  const migrated = await runMigrations(sql, { flavor: "postgres" });
  if (migrated.error) throw migrated.error;

  // What `bun run up --listen <gateway>` sets up: the site certificate naming the LAN address, NATS
  // with TLS on it, the collector with HTTPS on it.
  site = ensureTlsMaterial(join(dir, "tls"), [host.gateway, "127.0.0.1"]);
  await initNatsAuth(join(dir, "nats-auth"));
  writeNatsTlsConfig(join(dir, "nats.conf"), {
    certFile: site.certFile,
    keyFile: site.keyFile,
    include: `nats-auth/${AUTH_FILES.serverConfig}`,
  });
  nats = new NatsProcess({
    storeDir: join(dir, "nats"),
    host: host.gateway,
    port: freePort(),
    args: ["-c", join(dir, "nats.conf")],
  });
  await nats.start();
  collectorPort = freePort();
  const natsUrl = `tls://${host.gateway}:${nats.port}`;
  collectorEnv = {
    DATABASE_URL: pg.url,
    NATS_URL: natsUrl,
    NATS_CA: site.caFile,
    NATS_CREDS: join(dir, "nats-auth", AUTH_FILES.collectorCreds),
    NATS_AUTH_DIR: join(dir, "nats-auth"),
    COLLECTOR_TLS: "on",
    COLLECTOR_TLS_CERT: site.certFile,
    COLLECTOR_TLS_KEY: site.keyFile,
    COLLECTOR_HOST: host.gateway,
    COLLECTOR_PORT: String(collectorPort),
    COLLECTOR_PUBLIC_URL: `https://${host.gateway}:${collectorPort}`,
    AGENT_DIST_DIR: distDir,
    AGENT_NATS_URL: natsUrl,
    MCP_HTTP: "off",
  };
  const out: string[] = [];
  const created = await cli(
    ["enroll-token", "create", "--any-host", "--note", "lan test"],
    { DATABASE_URL: pg.url },
    (l) => out.push(l),
    () => undefined,
  );
  expect(created).toBe(0);
  line = pinnedInstallLine({ collectorUrl: `https://${host.gateway}:${collectorPort}`, pin: site.pin });
  token = out[0] ?? "";
}, 240_000);

let collectorEnv: Record<string, string>;
let token: string;

/**
 * Runs the printed line as an operator does: typed into a shell on a terminal (script(1) gives it one),
 * then the token pasted at the installer's prompt (what is fed here arrives there as if typed).
 */
function runLineOnTerminal(): ReturnType<NetnsHost["root"]["run"]> {
  return host.root.run(["sh", "-c", 'printf "%s\\n" "$TOKEN" | script -qec "$LINE" /dev/null'], {
    env: { TOKEN: token, LINE: line },
  });
}

afterAll(async () => {
  await collector?.stop();
  await sql?.end();
  await nats?.stop();
  await host?.destroy();
  await pg?.destroy();
  await rm(dir, { recursive: true, force: true });
}, 120_000);

async function exists(path: string): Promise<boolean> {
  return await stat(path).then(
    () => true,
    () => false,
  );
}

describe("a second host joins over the LAN with the printed pinned line", () => {
  test("an impostor with another self-signed certificate on the same address and port: no request, nothing installed", async () => {
    const impostorTls = ensureTlsMaterial(join(dir, "impostor"), [host.gateway]);
    let requests = 0;
    const impostor = Bun.serve({
      hostname: host.gateway,
      port: collectorPort,
      tls: {
        cert: await readFile(impostorTls.certFile, "utf8"),
        key: await readFile(impostorTls.keyFile, "utf8"),
      },
      fetch() {
        requests += 1;
        return new Response("echo impostor-ran > /tmp/impostor-ran\n");
      },
    });
    try {
      const r = await runLineOnTerminal();
      expect(`${r.stdout}${r.stderr}`).toContain("pinned public key");
      expect(requests).toBe(0);
      expect(await exists(host.root.path("/tmp/impostor-ran"))).toBe(false);
      expect(await exists(host.root.path("/usr/local/bin/infrastructor-agent"))).toBe(false);
      expect(await exists(host.root.path("/etc/infrastructor"))).toBe(false);
    } finally {
      await impostor.stop(true);
    }
  }, 120_000);

  test("install.sh re-uses the pin for every download: an impostor serving the agent gets no request", async () => {
    const impostorTls = ensureTlsMaterial(join(dir, "impostor"), [host.gateway]);
    let requests = 0;
    const impostor = Bun.serve({
      hostname: host.gateway,
      port: 0,
      tls: {
        cert: await readFile(impostorTls.certFile, "utf8"),
        key: await readFile(impostorTls.keyFile, "utf8"),
      },
      fetch() {
        requests += 1;
        return new Response("not the agent");
      },
    });
    try {
      await copyFile(join(import.meta.dir, "../../deploy/install.sh"), host.root.path("/tmp/install.sh"));
      await Bun.write(host.root.path("/tmp/enroll-token"), "ie_not_used\n");
      const r = await host.root.run([
        "sh",
        "/tmp/install.sh",
        "--collector",
        `https://${host.gateway}:${impostor.port}`,
        "--pin",
        site.pin,
        "--token-file",
        "/tmp/enroll-token",
      ]);
      expect(r.exitCode).not.toBe(0);
      expect(r.stderr).toContain("cannot download");
      expect(requests).toBe(0);
      expect(await exists(host.root.path("/usr/local/bin/infrastructor-agent"))).toBe(false);
      // A pin over plain HTTP means nothing: refused before any request.
      const http = await host.root.run([
        "sh",
        "/tmp/install.sh",
        "--collector",
        `http://${host.gateway}:1`,
        "--pin",
        site.pin,
      ]);
      expect(http.stderr).toContain("--pin needs an https:// collector");
    } finally {
      await impostor.stop(true);
      await rm(host.root.path("/tmp/install.sh"), { force: true });
    }
  }, 120_000);

  test("the real collector: installed over HTTPS, enrolled, and the agent's data reaches the database over tls://", async () => {
    collector = await spawnCollector(collectorEnv, { ca: await readFile(site.caFile, "utf8") });
    // The collector serves HTTPS only: a plain-HTTP request to it gets no answer that could be used.
    const plain = await fetch(`http://${host.gateway}:${collectorPort}/install.sh`).then(
      (res) => res.status,
      () => "refused",
    );
    expect(plain === "refused" || plain === 400).toBe(true);

    const r = await runLineOnTerminal();
    expect(r.stdout).not.toContain("error");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("NATS credentials of its own");

    const config = JSON.parse(await readFile(host.root.path("/etc/infrastructor/agent.json"), "utf8"));
    expect(config.nats).toMatchObject({
      url: `tls://${host.gateway}:${nats.port}`,
      ca_file: "/etc/infrastructor/nats-ca.pem",
    });
    expect(await readFile(host.root.path("/etc/infrastructor/nats-ca.pem"), "utf8")).toBe(
      await readFile(site.caFile, "utf8"),
    );
    await waitFor(
      "the second host's system sample in the database",
      async () => {
        const rows = await sql`
          SELECT 1 FROM system_metrics m JOIN devices d ON d.id = m.device_id
          WHERE d.hostname = 'lanhost' LIMIT 1`;
        return rows.length > 0;
      },
      120_000,
    );
  }, 240_000);
});
