import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TEST_API_TOKEN } from "@infrastructor/lib/testing/collector-process.ts";
import { compileAgent } from "@infrastructor/lib/testing/compile-agent.ts";
import { type NetnsHost, startNetnsHost } from "@infrastructor/lib/testing/netns-host.ts";
import { type Pipeline, startPipeline } from "@infrastructor/lib/testing/pipeline-servers.ts";
import { startTcpRelay, type TcpRelay } from "@infrastructor/lib/testing/tcp-relay.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import { main } from "../../infra/src/main.ts";

/**
 * `infra deploy` end to end: a real sshd on a separate host (network namespace, own address and
 * hostname, isolated root), the real compiled agent uploaded over SFTP and installed by deploy/install.sh
 * enrolling with the real collector, its first message through real NATS into the database. Then an
 * upgrade to a different build, then a broken agent that is rolled back.
 */
const HOST = "edge1";
let pipeline: Pipeline;
let host: NetnsHost;
let relays: TcpRelay[] = [];
let agents: string;
let env: Record<string, string>;

async function sha256(path: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(path))
    .digest("hex");
}

async function infra(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, env, {
    out: (t) => {
      out += `${t}\n`;
    },
    err: (t) => {
      err += `${t}\n`;
    },
    progress: {
      isTTY: false,
      write: (t) => {
        out += t;
      },
    },
  });
  return { code, out, err };
}

async function bootIds(): Promise<string[]> {
  const rows = await pipeline.sql<{ boot_id: string }[]>`
    SELECT DISTINCT l.boot_id FROM latest_state l JOIN devices d ON d.id = l.device_id WHERE d.hostname = ${HOST}`;
  return rows.map((r) => r.boot_id);
}

beforeAll(async () => {
  agents = await mkdtemp(join(tmpdir(), "infra-deploy-agents-"));
  await Promise.all(["v1", "v2"].map((v) => mkdir(join(agents, v))));
  const building = Promise.all([
    compileAgent(join(agents, "v1/infrastructor-agent-linux-x64"), true),
    compileAgent(join(agents, "v2/infrastructor-agent-linux-x64"), false),
  ]);
  // A broken agent: installs fine (its SHA-256 is checked like any other) and exits at once.
  await mkdir(join(agents, "broken"));
  await writeFile(
    join(agents, "broken/infrastructor-agent-linux-x64"),
    "#!/bin/sh\necho broken >&2\nexit 1\n",
  );
  await chmod(join(agents, "broken/infrastructor-agent-linux-x64"), 0o755);
  host = await startNetnsHost(HOST);
  let natsPort = 0;
  let collectorPort = 0;
  const natsRelay = await startTcpRelay(host.gateway, () => natsPort);
  const httpRelay = await startTcpRelay(host.gateway, () => collectorPort);
  relays = [natsRelay, httpRelay];
  pipeline = await startPipeline({ AGENT_NATS_URL: `nats://${host.gateway}:${natsRelay.port}` });
  natsPort = pipeline.nats.port;
  collectorPort = pipeline.collector.port;
  env = {
    DATABASE_URL: pipeline.pg.url,
    COLLECTOR_URL: `http://127.0.0.1:${pipeline.collector.port}`,
    COLLECTOR_PUBLIC_URL: `http://${host.gateway}:${httpRelay.port}`,
    COLLECTOR_API_TOKEN: TEST_API_TOKEN,
    MCP_SSH_KNOWN_HOSTS: "none",
  };
  await building;
}, 240_000);

afterAll(async () => {
  await host?.destroy();
  for (const relay of relays) await relay.close();
  await pipeline?.destroy();
  await rm(agents, { recursive: true, force: true });
}, 60_000);

describe("infra deploy to a host in its own network namespace", () => {
  test("devices add registers the SSH target; a bad name or target is refused with its code", async () => {
    const added = await infra(
      "devices",
      "add",
      HOST,
      "--host",
      host.address,
      "--user",
      "root",
      "--key",
      host.keyPath,
    );
    expect(added.err).toBe("");
    expect(added.code).toBe(0);
    expect(added.out).toContain(`${HOST}: root@${host.address}:22`);
    const bad = await infra(
      "devices",
      "add",
      "Bad Name",
      "--host",
      host.address,
      "--user",
      "root",
      "--agent",
    );
    expect(bad.code).toBe(1);
    expect(bad.err).toStartWith("INVALID_ARGUMENT:");
    const injected = await infra("devices", "add", "x1", "--host", "h;reboot", "--user", "root", "--agent");
    expect(injected.err).toStartWith("INVALID_ARGUMENT:");
    const list = await infra("devices", "list");
    expect(list.out).toContain(`root@${host.address}:22`);
    expect(list.out).toContain("never");
  });

  test("first deploy: detects linux-x64, uploads, enrolls, and waits until its first message is stored; the token is in no process's argv on the host", async () => {
    // Every program the host's sshd starts for us (install.sh, curl...), with its full argv.
    const sshd = (await readFile(host.root.path("/run/infra-test-sshd.pid"), "utf8")).trim();
    const tracePath = join(agents, "sshd-execve.trace");
    const strace = Bun.spawn(
      ["strace", "-f", "-qq", "-e", "trace=execve", "-s", "65535", "-o", tracePath, "-p", sshd],
      {
        stdout: "ignore",
        stderr: "ignore",
      },
    );
    await waitFor("strace attached to the host's sshd", async () => {
      const status = await readFile(`/proc/${sshd}/status`, "utf8");
      return /^TracerPid:\s+(\d+)$/m.exec(status)?.[1] === String(strace.pid);
    });
    const r = await infra("deploy", HOST, "--agent-dir", join(agents, "v1"), "--timeout", "90s");
    strace.kill("SIGINT"); // detaches
    await strace.exited;
    const execs = (await readFile(tracePath, "utf8")).split("\n").filter((l) => l.includes(" execve("));
    const installer = execs.filter((l) => l.includes("/install.sh") && !l.includes("ENOENT"));
    expect(installer.some((l) => l.includes('"--token-file"'))).toBe(true);
    expect(execs.some((l) => l.includes("/api/enroll"))).toBe(true); // curl's argv is in the trace
    expect(execs.filter((l) => /ie_[A-Za-z0-9_-]{43}/.test(l))).toEqual([]);
    expect(r.err).toBe("");
    expect(r.out).toContain("waiting for first message");
    expect(r.out).toMatch(new RegExp(`${HOST} +linux-x64 +- +0\\.1\\.0 \\(\\w{12}\\) +installed`));
    expect(r.code).toBe(0);
    expect(await sha256(host.root.path("/usr/local/bin/infrastructor-agent"))).toBe(
      await sha256(join(agents, "v1/infrastructor-agent-linux-x64")),
    );
    const config = JSON.parse(await readFile(host.root.path("/etc/infrastructor/agent.json"), "utf8"));
    expect(config.host).toBe(HOST);
    const rows = await pipeline.sql`
      SELECT count(*)::int AS n FROM system_metrics s JOIN devices d ON d.id = s.device_id WHERE d.hostname = ${HOST}`;
    expect(rows[0]?.n).toBeGreaterThan(0);
    // The host key was pinned on first use, as the MCP server does.
    const pins = await pipeline.sql`SELECT host FROM ssh_host_keys WHERE host = ${host.address}`;
    expect(pins).toHaveLength(1);
    // The temp dir on the host is gone; nothing was installed on this machine.
    expect(
      (await host.root.run(["sh", "-c", "ls -d /tmp/infra-deploy.* 2>/dev/null | wc -l"])).stdout.trim(),
    ).toBe("0");
    expect(await Bun.file("/etc/infrastructor/agent.json").exists()).toBe(false);
  }, 180_000);

  test("status shows the device reporting, with fresh domains", async () => {
    const r = await infra("status");
    expect(r.code).toBe(0);
    const line = r.out.split("\n").find((l) => l.startsWith(HOST)) ?? "";
    expect(line).toMatch(/\d+s ago +0\.1\.0 +\S*system/);
  });

  test("second deploy upgrades to another build, which reports with a new boot_id", async () => {
    const before = await bootIds();
    const r = await infra("deploy", "--all", "--agent-dir", join(agents, "v2"), "--timeout", "90s");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const v1 = (await sha256(join(agents, "v1/infrastructor-agent-linux-x64"))).slice(0, 12);
    const v2 = (await sha256(join(agents, "v2/infrastructor-agent-linux-x64"))).slice(0, 12);
    expect(r.out).toContain(`0.1.0 (${v1})  0.1.0 (${v2})  upgraded`);
    expect((await bootIds()).some((id) => !before.includes(id))).toBe(true);
    expect(await sha256(host.root.path("/usr/local/bin/infrastructor-agent.prev"))).toStartWith(v1);
  }, 180_000);

  test("a broken agent does not report within the timeout: rolled back to the previous one, which reports again", async () => {
    const r = await infra("deploy", HOST, "--agent-dir", join(agents, "broken"), "--timeout", "15s");
    expect(r.code).toBe(1);
    expect(r.out).toContain("rolling back");
    const v2 = await sha256(join(agents, "v2/infrastructor-agent-linux-x64"));
    expect(r.out).toMatch(/rolled back: AGENT_NOT_REPORTING: no message from the new agent within 15 s/);
    expect(r.out).toContain(`0.1.0 (${v2.slice(0, 12)})  rolled back`);
    expect(await sha256(host.root.path("/usr/local/bin/infrastructor-agent"))).toBe(v2);
  }, 180_000);

  test("an unreachable device fails alone with HOST_UNREACHABLE; trust-host-key re-pins; remove deletes", async () => {
    await infra(
      "devices",
      "add",
      "ghost",
      "--host",
      "10.231.255.254",
      "--user",
      "root",
      "--key",
      host.keyPath,
    );
    const r = await infra("deploy", "ghost", "--agent-dir", join(agents, "v2"));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/ghost +- +- +- +failed: HOST_UNREACHABLE/);
    const trust = await infra("devices", "trust-host-key", HOST);
    expect(trust.code).toBe(0);
    expect(trust.out).toContain(`pinned SHA256:`);
    const removed = await infra("devices", "remove", "ghost");
    expect(removed.code).toBe(0);
    expect((await infra("devices", "remove", "ghost")).err).toStartWith("NOT_FOUND:");
  }, 60_000);
});
