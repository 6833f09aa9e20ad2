import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AgentProcess, spawnAgent } from "@infrastructor/lib/testing/agent-process.ts";
import { type CollectorProcess, spawnCollector } from "@infrastructor/lib/testing/collector-process.ts";
import { systemEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { onlySystemDomain } from "@infrastructor/lib/testing/only-system.ts";
import { publishEnvelopes } from "@infrastructor/lib/testing/publish.ts";
import {
  startTestNatsOperator,
  startTestPostgres,
  type TestNatsOperator,
} from "@infrastructor/lib/testing/servers.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import { hostInboxPrefix } from "@infrastructor/shared/subjects.ts";
import { connect, credsAuthenticator, type NatsConnection } from "nats";
import postgres, { type Sql } from "postgres";
import { natsServerBinary } from "../../scripts/lib/nats-process.ts";
import { main as cli } from "../src/cli.ts";
import { crashesOnWildcardReply } from "../src/nats-auth/server-version.ts";

/**
 * The pipeline with per-host credentials: nats-server in operator mode, the real collector consuming
 * with its own credentials, the real agent publishing with credentials minted by `nats issue`, and
 * `nats revoke` locking a host out while the collector keeps consuming the others.
 */
let pg: Awaited<ReturnType<typeof startTestPostgres>>;
let nats: TestNatsOperator;
let collector: CollectorProcess;
let agent: AgentProcess;
let sql: Sql;
let dir: string;
let env: Record<string, string>;
const open: NatsConnection[] = [];

beforeAll(async () => {
  [pg, nats] = await Promise.all([startTestPostgres(), startTestNatsOperator()]);
  dir = await mkdtemp(join(tmpdir(), "infra-creds-"));
  env = {
    DATABASE_URL: pg.url,
    NATS_URL: nats.url,
    NATS_CREDS: nats.collectorCreds,
    NATS_AUTH_DIR: nats.authDir,
  };
  collector = await spawnCollector(env);
  sql = postgres(pg.url, { max: 2, onnotice: () => {} });
  for (const host of ["agent-a", "host-b"]) {
    expect(await nats_(["issue", host, "--out", join(dir, `${host}.creds`)])).toMatchObject({ code: 0 });
  }
  agent = spawnAgent({
    NATS_URL: nats.url,
    NATS_CREDS: join(dir, "agent-a.creds"),
    INFRA_HOST: "agent-a",
    INFRA_SYSTEM_INTERVAL_S: "1",
    INFRA_SPOOL_DIR: join(dir, "spool"),
    ...onlySystemDomain(),
  });
}, 120_000);

afterAll(async () => {
  for (const nc of open) if (!nc.isClosed()) await nc.close();
  await agent?.stop();
  await collector?.stop();
  await sql?.end();
  await Promise.all([pg?.destroy(), nats?.destroy(), rm(dir, { recursive: true, force: true })]);
}, 60_000);

/** Runs `bun collector/src/cli.ts nats ...` in-process with the collector's environment. */
async function nats_(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await cli(
    ["nats", ...args],
    env,
    (l) => out.push(l),
    (l) => err.push(l),
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
}

async function connectAs(host: string, options: { reconnect?: boolean } = {}): Promise<NatsConnection> {
  const nc = await connect({
    servers: nats.url,
    authenticator: credsAuthenticator(await readFile(join(dir, `${host}.creds`))),
    inboxPrefix: hostInboxPrefix(host),
    maxReconnectAttempts: options.reconnect ? -1 : 0,
  });
  open.push(nc);
  return nc;
}

async function refused(host: string): Promise<string> {
  return await connectAs(host).then(
    async (nc) => {
      await nc.close();
      return "connected";
    },
    (err: unknown) => String(err),
  );
}

const samples = async (host: string): Promise<number> => {
  const [row] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM system_metrics m JOIN devices d ON d.id = m.device_id
    WHERE d.hostname = ${host}`;
  return row?.n ?? 0;
};

describe("per-host NATS credentials through the pipeline", () => {
  test("the issued creds file is private; the agent publishes with it and the collector stores it", async () => {
    expect((await stat(join(dir, "agent-a.creds"))).mode & 0o777).toBe(0o600);
    // The collector warns about a server that a host's wildcard reply subject crashes (and only then).
    const versionText = new TextDecoder().decode(Bun.spawnSync([natsServerBinary(), "--version"]).stdout);
    const version = /(\d+\.\d+\.\d+)/.exec(versionText)?.[1] ?? "";
    expect(collector.output().includes("wildcard reply")).toBe(crashesOnWildcardReply(version));
    await waitFor("agent-a's samples in the database", async () => (await samples("agent-a")) >= 2, 60_000);
  });

  test("host B's key cannot publish as agent-a; its own message is consumed", async () => {
    const b = await connectAs("host-b");
    const spoof = await publishEnvelopes(b.jetstream(), [systemEnvelope("agent-a", 900, Date.now(), "spoof")])
      .then(() => "accepted")
      .catch((err: unknown) => String(err));
    expect(spoof).toContain("Permissions Violation for Publish");
    await publishEnvelopes(b.jetstream(), [systemEnvelope("host-b", 1, Date.now(), "b-boot")]);
    await waitFor("host-b's sample", async () => (await samples("host-b")) === 1, 30_000);
    const [spoofed] = await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM system_metrics m JOIN devices d ON d.id = m.device_id
      WHERE d.hostname = 'agent-a' AND m.process_count = ${180 + (900 % 7)} AND m.uptime_s = ${86_400 + 900 * 15}`;
    expect(spoofed?.n).toBe(0);
  });

  test("enrollment (POST /api/enroll) hands out creds of this collector's own issuer that publish as the host", async () => {
    const out: string[] = [];
    const created = await cli(
      ["enroll-token", "create", "--host", "host-c"],
      env,
      (l) => out.push(l),
      () => {},
    );
    expect(created).toBe(0);
    const response = await fetch(`http://127.0.0.1:${collector.port}/api/enroll`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: out[0], hostname: "host-c", arch: "x64", os: "debian" }),
    });
    expect(response.status).toBe(200);
    const enrolled = (await response.json()) as {
      creds: string;
      nats: { auth: string };
      config: { nats: { creds_file?: string } };
    };
    expect(enrolled.nats.auth).toBe("creds");
    expect(enrolled.config.nats.creds_file).toBe("/etc/infrastructor/agent.creds");
    const listed = await nats_(["list"]);
    expect(listed.out).toContain("host-c");
    const c = await connect({
      servers: nats.url,
      authenticator: credsAuthenticator(new TextEncoder().encode(enrolled.creds)),
      inboxPrefix: hostInboxPrefix("host-c"),
      maxReconnectAttempts: 0,
    });
    open.push(c);
    await publishEnvelopes(c.jetstream(), [systemEnvelope("host-c", 1, Date.now(), "c-boot")]);
    await waitFor("host-c's sample", async () => (await samples("host-c")) === 1, 30_000);
    const spoof = await publishEnvelopes(c.jetstream(), [systemEnvelope("host-b", 7, Date.now(), "x")])
      .then(() => "accepted")
      .catch((err: unknown) => String(err));
    expect(spoof).toContain("Permissions Violation for Publish");
  });

  test("revoking agent-a cuts the running agent and refuses it; the collector still consumes", async () => {
    const listening = await connectAs("agent-a", { reconnect: true });
    const cut = new Promise<string>((resolve) => {
      (async () => {
        for await (const s of listening.status())
          if (s.type === "disconnect" || s.type === "error") resolve(s.type);
      })();
    });
    const revoke = await nats_(["revoke", "agent-a"]);
    expect(revoke).toMatchObject({ code: 0 });
    expect(revoke.out).toMatch(/^revoked agent-a: U[A-Z2-7]{55}$/);
    expect(["disconnect", "error"]).toContain(await cut);
    expect(await refused("agent-a")).toContain("Authorization Violation");
    // The agent's reconnects are refused from now on (it spools until re-enrolled).
    await waitFor(
      "the agent to be refused",
      () => agent.output().includes("AUTHORIZATION_VIOLATION"),
      30_000,
    );

    // Whatever the agent sends now is spooled, not stored: the count settles.
    const settled = await waitFor(
      "agent-a's samples to stop",
      async () => {
        const before = await samples("agent-a");
        await Bun.sleep(2_500);
        return (await samples("agent-a")) === before ? before : undefined;
      },
      60_000,
    );
    const b = await connectAs("host-b");
    await publishEnvelopes(b.jetstream(), [systemEnvelope("host-b", 2, Date.now(), "b-boot")]);
    await waitFor("host-b's second sample", async () => (await samples("host-b")) === 2, 30_000);
    expect(await samples("agent-a")).toBe(settled);
    expect((await collector.health()).status).toBe(200);
  });

  test("after a collector restart the records are there and revocations are pushed again", async () => {
    await collector.stop();
    await nats.restart({ forgetPushed: true }); // a server that lost its pushed JWTs
    expect(await refused("agent-a")).toBe("connected"); // the init preload knows no revocation
    collector = await spawnCollector(env); // pushes the account JWT from the database as it starts
    expect(await refused("agent-a")).toContain("Authorization Violation");

    const list = await nats_(["list"]);
    expect(list.code).toBe(0);
    const lines = list.out.split("\n").map((l) => l.split("\t"));
    expect(lines.map((l) => [l[0], l[3]?.split(" ")[0]])).toEqual([
      ["agent-a", "revoked"],
      ["host-b", "live"],
      ["host-c", "live"],
    ]);
    const b = await connectAs("host-b");
    await publishEnvelopes(b.jetstream(), [systemEnvelope("host-b", 3, Date.now(), "b-boot")]);
    await waitFor("host-b's third sample", async () => (await samples("host-b")) === 3, 30_000);
  });

  test("the CLI refuses bad input with a code and a usage", async () => {
    expect(await nats_(["issue", "Bad.Host"])).toMatchObject({
      code: 1,
      err: expect.stringContaining("INVALID_ARGUMENT"),
    });
    expect(await nats_(["revoke", "nobody"])).toMatchObject({
      code: 1,
      err: expect.stringContaining("NOT_FOUND"),
    });
    expect(await nats_(["issue"])).toMatchObject({ code: 2, err: expect.stringContaining("usage:") });
    expect(await nats_(["init"])).toMatchObject({ code: 1, err: expect.stringContaining("already holds") });
  });
});
