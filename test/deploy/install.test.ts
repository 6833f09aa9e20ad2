import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { copyFile, mkdtemp, readFile, readlink, rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { TEST_API_TOKEN } from "@infrastructor/lib/testing/collector-process.ts";
import { compileAgent } from "@infrastructor/lib/testing/compile-agent.ts";
import { type IsolatedRoot, startIsolatedRoot } from "@infrastructor/lib/testing/isolated-root.ts";
import { type Pipeline, startPipeline } from "@infrastructor/lib/testing/pipeline-servers.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";

/**
 * deploy/install.sh against the real collector serving the real compiled agent, on a "host" that is a
 * mount + UTS namespace of this machine (shared/lib/testing/isolated-root.ts): real useradd, sudo, file modes,
 * and, without systemd, the installer's own supervisor running the agent, whose samples reach the
 * database through the real NATS and collector.
 */
const repo = resolve(import.meta.dir, "../..");
const SMARTCTL_READ = "/usr/local/libexec/infrastructor/smartctl-read";
let pipeline: Pipeline;
let distDir: string;
let builds: string;
let collectorUrl: string;

async function sha256(path: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(path))
    .digest("hex");
}

/** Publishes a build as the collector's linux-x64 agent (a rename, as a deploy would). */
async function publish(build: string): Promise<void> {
  const target = join(distDir, "infrastructor-agent-linux-x64");
  await copyFile(build, `${target}.tmp`);
  await rename(`${target}.tmp`, target);
}

async function newToken(body: Record<string, unknown> = {}): Promise<string> {
  const res = await fetch(`${collectorUrl}/api/enroll-tokens`, {
    method: "POST",
    headers: { Authorization: `Bearer ${TEST_API_TOKEN}`, "Content-Type": "application/json" },
    // The isolated roots enroll under their own host names: these tokens are for any host, explicitly.
    body: JSON.stringify({ any_host: true, ...body }),
  });
  if (res.status !== 201) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** Runs the served installer inside the isolated root: downloaded first, then `sh install.sh ARGS`. */
async function install(root: IsolatedRoot, ...args: string[]): Promise<{ exitCode: number; out: string }> {
  return await installTraced(root, null, args);
}

/** The same, under strace when `trace` is set: every execve (full argv) of it and its children there. */
async function installTraced(
  root: IsolatedRoot,
  trace: string | null,
  args: string[],
): Promise<{ exitCode: number; out: string }> {
  const fetched = await root.run(["curl", "-fsSL", "-o", "/tmp/install.sh", `${collectorUrl}/install.sh`]);
  if (fetched.exitCode !== 0) throw new Error(`curl install.sh: ${fetched.stderr}`);
  const strace =
    trace === null ? [] : ["strace", "-f", "-qq", "-e", "trace=execve", "-s", "65535", "-o", trace];
  const r = await root.run([...strace, "sh", "/tmp/install.sh", ...args]);
  return { exitCode: r.exitCode, out: r.stdout + r.stderr };
}

/**
 * Pids of the installed agent inside the root (the supervisor's child), with the uid each runs as. The
 * root shares this machine's pid namespace: `ps` also lists agents other tests run in roots of their
 * own, so only processes in this root's mount namespace count.
 */
async function agentProcesses(root: IsolatedRoot): Promise<{ pid: number; uid: number }[]> {
  const ns = await readlink(`${root.path("").replace(/\/root$/, "")}/ns/mnt`);
  const ps = await root.run(["ps", "-eo", "pid=,uid=,args="]);
  const agents = ps.stdout
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\S+)/.exec(line))
    .filter((m) => m?.[3] === "/usr/local/bin/infrastructor-agent")
    .map((m) => ({ pid: Number(m?.[1]), uid: Number(m?.[2]) }));
  const inRoot = await Promise.all(
    agents.map(async (a) => (await readlink(`/proc/${a.pid}/ns/mnt`).catch(() => null)) === ns),
  );
  return agents.filter((_, i) => inRoot[i]);
}

/** The enrollment token as a root-only file in the root's own /run (a tmpfs), for --token-file. */
async function writeToken(root: IsolatedRoot, token: string): Promise<void> {
  await Bun.write(root.path("/run/enroll-token"), `${token}\n`);
  await root.run(["chmod", "0600", "/run/enroll-token"]);
}

async function exists(path: string): Promise<boolean> {
  return await stat(path).then(
    () => true,
    () => false,
  );
}

beforeAll(async () => {
  builds = await mkdtemp(join(tmpdir(), "infra-agent-builds-"));
  distDir = await mkdtemp(join(tmpdir(), "infra-dist-"));
  await Promise.all([compileAgent(join(builds, "v1"), true), compileAgent(join(builds, "v2"), false)]);
  await publish(join(builds, "v1"));
  pipeline = await startPipeline({ AGENT_DIST_DIR: distDir });
  collectorUrl = `http://127.0.0.1:${pipeline.collector.port}`;
}, 180_000);

afterAll(async () => {
  await pipeline?.destroy();
  await rm(builds, { recursive: true, force: true });
  await rm(distDir, { recursive: true, force: true });
}, 60_000);

describe("install.sh without systemd: the plain supervisor runs the real agent", () => {
  let root: IsolatedRoot;
  let token: string;
  beforeAll(async () => {
    root = await startIsolatedRoot("inst-plain");
  });
  afterAll(async () => {
    await root?.destroy();
  });

  test("curl | sh -s -- --token-file F installs, enrolls and starts it; its first message reaches the database", async () => {
    token = await newToken({ note: "installer test" });
    await writeToken(root, token);
    const r = await root.run([
      "sh",
      "-c",
      'curl -fsSL "$1" | sh -s -- --token-file /run/enroll-token',
      "sh",
      `${collectorUrl}/install.sh`,
    ]);
    expect(r.stderr).not.toContain("error");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("service: plain");
    expect(r.stdout).toContain("check: kill -0 $(cat /run/infrastructor-agent.pid)");
    expect(r.stdout).toContain("NATS without authentication"); // no issuer in this collector

    expect(await sha256(root.path("/usr/local/bin/infrastructor-agent"))).toBe(
      await sha256(join(builds, "v1")),
    );
    // root's, readable by the agent's group: the agent cannot rewrite its own config.
    const config = await stat(root.path("/etc/infrastructor/agent.json"));
    expect(config.mode & 0o777).toBe(0o640);
    const passwd = await readFile(root.path("/etc/passwd"), "utf8");
    const uid = Number(/^infrastructor:x:(\d+):/m.exec(passwd)?.[1]);
    const gid = Number(/^infrastructor:x:\d+:(\d+):/m.exec(passwd)?.[1]);
    expect({ uid: config.uid, gid: config.gid }).toEqual({ uid: 0, gid });
    expect(await readFile("/etc/passwd", "utf8")).not.toMatch(/^infrastructor:/m); // isolated
    const agentJson = JSON.parse(await readFile(root.path("/etc/infrastructor/agent.json"), "utf8"));
    expect(agentJson).toMatchObject({ host: "inst-plain", nats: { url: pipeline.nats.url } });
    expect(agentJson.domains.smart).toEqual({ sudo: true, smartctl_path: SMARTCTL_READ });

    const device = await waitFor(
      "the installed agent's first message in the database",
      async () => {
        // Enrollment may register the device first; the agent's own message sets its version.
        const [row] =
          await pipeline.sql`SELECT id, agent_version FROM devices WHERE hostname = 'inst-plain' AND agent_version IS NOT NULL`;
        return row;
      },
      90_000,
      500,
    );
    expect(device.agent_version).toMatch(/^\d+\.\d+\.\d+/);
    const agents = await agentProcesses(root);
    expect(agents).toHaveLength(1);
    expect(agents[0]?.uid).toBe(uid); // never root
  }, 150_000);

  test("the supervisor restarts the agent when it dies", async () => {
    const [before] = await agentProcesses(root);
    if (before === undefined) throw new Error("no agent running");
    process.kill(before.pid, "SIGKILL");
    await waitFor("a restarted agent", async () => {
      const a = await agentProcesses(root);
      return a.length === 1 && a[0]?.pid !== before.pid;
    });
    expect(await readFile(root.path("/var/log/infrastructor/agent.log"), "utf8")).toContain(
      "agent exited with 137, restarting in 1s",
    );
  }, 60_000);

  // Every refused shape, through real sudo: install-hardening.test.ts.
  test("the sudo rule lets the agent's user run smartctl's read commands (through the wrapper), and nothing else", async () => {
    const sudoers = await stat(root.path("/etc/sudoers.d/infrastructor-agent"));
    expect(sudoers.mode & 0o777).toBe(0o440);
    const scan = await root.run([
      "runuser",
      "-u",
      "infrastructor",
      "--",
      "sudo",
      "-n",
      SMARTCTL_READ,
      "--scan-open",
      "-j",
    ]);
    expect(scan.exitCode).toBe(0);
    expect(JSON.parse(scan.stdout).smartctl.argv).toEqual(["smartctl", "--scan-open", "-j"]);
    const other = await root.run(["runuser", "-u", "infrastructor", "--", "sudo", "-n", "/usr/bin/id"]);
    expect(other.exitCode).not.toBe(0);
    const test = await root.run([
      "runuser",
      "-u",
      "infrastructor",
      "--",
      "sudo",
      "-n",
      "/usr/sbin/smartctl",
      "-t",
      "long",
      "/dev/sda",
    ]);
    expect(test.exitCode).not.toBe(0);
  });

  test("the same token again is refused with the collector's reason; what runs is untouched", async () => {
    const before = await agentProcesses(root);
    const again = await install(root, "--token", token);
    expect(again.exitCode).toBe(1);
    // Still accepted on the command line, with a warning: any local user can read argv.
    expect(again.out).toContain("warning: --token puts the token in the process list; use --token-file FILE");
    expect(again.out).toContain("enrollment refused (HTTP 409 ENROLL_TOKEN_USED)");
    expect(again.out).toContain("already used");
    expect(await agentProcesses(root)).toEqual(before);
    const leftovers = (await root.run(["ls", "/usr/local/bin"])).stdout;
    expect(leftovers).not.toContain(".new.");
  });

  test("running it again upgrades in place: new binary by rename, the old one kept as .prev, agent restarted", async () => {
    const [before] = await agentProcesses(root);
    const inode = (await stat(root.path("/usr/local/bin/infrastructor-agent"))).ino;
    await publish(join(builds, "v2"));
    const r = await install(root);
    expect(r.out).not.toContain("error");
    expect(r.exitCode).toBe(0);
    expect(r.out).toContain("keeping /etc/infrastructor/agent.json (upgrade)");
    expect(await sha256(root.path("/usr/local/bin/infrastructor-agent"))).toBe(
      await sha256(join(builds, "v2")),
    );
    expect(await sha256(root.path("/usr/local/bin/infrastructor-agent.prev"))).toBe(
      await sha256(join(builds, "v1")),
    );
    expect((await stat(root.path("/usr/local/bin/infrastructor-agent.prev"))).ino).toBe(inode);
    const after = await waitFor("the upgraded agent", async () => {
      const a = await agentProcesses(root);
      return a.length === 1 && a[0]?.pid !== before?.pid ? a : undefined;
    });
    expect(after).toHaveLength(1);
    const since = new Date();
    await waitFor(
      "a message from the upgraded agent",
      async () => {
        const [row] =
          await pipeline.sql`SELECT 1 FROM devices WHERE hostname = 'inst-plain' AND last_seen > ${since}`;
        return row;
      },
      90_000,
      500,
    );
  }, 150_000);

  test("--rollback puts the previous binary back and restarts", async () => {
    const [before] = await agentProcesses(root);
    const r = await install(root, "--rollback");
    expect(r.exitCode).toBe(0);
    expect(await sha256(root.path("/usr/local/bin/infrastructor-agent"))).toBe(
      await sha256(join(builds, "v1")),
    );
    expect(await exists(root.path("/usr/local/bin/infrastructor-agent.prev"))).toBe(false);
    await waitFor("the rolled-back agent", async () => {
      const a = await agentProcesses(root);
      return a.length === 1 && a[0]?.pid !== before?.pid;
    });
  }, 60_000);

  test("--uninstall removes what it installed, and only that", async () => {
    const r = await install(root, "--uninstall");
    expect(r.exitCode).toBe(0);
    expect(await agentProcesses(root)).toEqual([]);
    for (const gone of [
      "/usr/local/bin/infrastructor-agent",
      "/usr/local/lib/infrastructor",
      "/etc/infrastructor",
      "/etc/sudoers.d/infrastructor-agent",
      "/usr/local/libexec/infrastructor",
      "/var/lib/infrastructor",
      "/var/log/infrastructor",
      "/run/infrastructor-agent.pid",
    ]) {
      expect({ gone, exists: await exists(root.path(gone)) }).toEqual({ gone, exists: false });
    }
    expect(await readFile(root.path("/etc/passwd"), "utf8")).not.toMatch(/^infrastructor:/m);
    expect(await readFile(root.path("/etc/group"), "utf8")).not.toMatch(/^infrastructor:/m);
    // What was there before stays: the directories it wrote into, sudo's own configuration.
    for (const kept of ["/usr/local/bin", "/usr/local/lib", "/etc/sudoers.d", "/etc/sudoers"]) {
      expect({ kept, exists: await exists(root.path(kept)) }).toEqual({ kept, exists: true });
    }
  }, 60_000);
});

describe("install.sh with systemd present", () => {
  let root: IsolatedRoot;
  beforeAll(async () => {
    root = await startIsolatedRoot("inst-systemd");
    // systemd cannot be PID 1 here: the installer sees what sd_booted() checks (/run/systemd/system)
    // and a systemctl that records its arguments instead of starting anything.
    await root.run(["mkdir", "-p", "/run/systemd/system", "/usr/local/sbin"]);
    await Bun.write(root.path("/usr/local/sbin/systemctl"), '#!/bin/sh\necho "$*" >>/run/systemctl.log\n');
    await root.run(["chmod", "0755", "/usr/local/sbin/systemctl"]);
  });
  afterAll(async () => {
    await root?.destroy();
  });

  test("a wrong token is refused before anything is installed", async () => {
    const wrong = `ie_${"x".repeat(43)}`;
    const r = await installTraced(root, "/tmp/execve-token.trace", ["--token", wrong]);
    // The argv check below (--token-file) can fail: given with --token, the token is in the trace.
    const execs = (await readFile(root.path("/tmp/execve-token.trace"), "utf8")).split("\n");
    expect(execs.filter((l) => l.includes(wrong)).length).toBeGreaterThan(0);
    expect(r.exitCode).toBe(1);
    expect(r.out).toContain("enrollment refused (HTTP 401 ENROLL_TOKEN_INVALID): unknown enrollment token");
    expect(await exists(root.path("/usr/local/bin/infrastructor-agent"))).toBe(false);
    expect((await root.run(["ls", "/usr/local/bin"])).stdout).not.toContain("infrastructor");
  }, 60_000);

  test("installs the hardened unit (and the smartctl drop-in), enables and restarts it through systemctl; the token is in no process's argv", async () => {
    const token = await newToken();
    await writeToken(root, token);
    // Every program the installer starts (curl included), with its full argv, as the kernel saw it.
    const r = await installTraced(root, "/tmp/execve.trace", ["--token-file", "/run/enroll-token"]);
    expect(r.out).not.toContain("error");
    expect(r.exitCode).toBe(0);
    const execs = (await readFile(root.path("/tmp/execve.trace"), "utf8")).split("\n");
    // The trace does see curl's argv (its URL)...
    expect(execs.some((l) => l.includes('execve("/usr/bin/curl"') && l.includes("/api/enroll"))).toBe(true);
    // ...and the token in none.
    expect(execs.filter((l) => l.includes(token))).toEqual([]);
    expect(r.out).toContain(
      "check: systemctl status infrastructor-agent; journalctl -u infrastructor-agent -f",
    );
    expect(await readFile(root.path("/etc/systemd/system/infrastructor-agent.service"), "utf8")).toBe(
      await readFile(join(repo, "deploy/systemd/infrastructor-agent.service"), "utf8"),
    );
    expect(
      await readFile(
        root.path("/etc/systemd/system/infrastructor-agent.service.d/smartctl-sudo.conf"),
        "utf8",
      ),
    ).toBe(await readFile(join(repo, "deploy/systemd/smartctl-sudo.conf"), "utf8"));
    expect((await readFile(root.path("/run/systemctl.log"), "utf8")).trim().split("\n")).toEqual([
      "daemon-reload",
      "enable infrastructor-agent.service",
      "restart infrastructor-agent.service",
    ]);
    expect(await exists(root.path("/run/infrastructor-agent.pid"))).toBe(false); // systemd's job, not ours
    expect(await agentProcesses(root)).toEqual([]);
  }, 60_000);

  test("systemd-analyze verify accepts the installed unit with its drop-in (real binary, real user)", async () => {
    const r = await root.run([
      "systemd-analyze",
      "verify",
      "/etc/systemd/system/infrastructor-agent.service",
    ]);
    expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({ exitCode: 0, stderr: "" });
    // It does find mistakes: a misspelt key in a copy.
    await Bun.write(
      root.path("/etc/systemd/system/infra-typo.service"),
      (await readFile(join(repo, "deploy/systemd/infrastructor-agent.service"), "utf8")).replace(
        "ProtectSystem=strict",
        "ProtectSytem=strict",
      ),
    );
    const typo = await root.run(["systemd-analyze", "verify", "/etc/systemd/system/infra-typo.service"]);
    expect(typo.stderr).toContain("Unknown key 'ProtectSytem'");
  });

  test("--uninstall disables the unit and removes it with its drop-in", async () => {
    const r = await install(root, "--uninstall");
    expect(r.exitCode).toBe(0);
    expect(await readFile(root.path("/run/systemctl.log"), "utf8")).toContain(
      "disable --now infrastructor-agent.service",
    );
    expect(await exists(root.path("/etc/systemd/system/infrastructor-agent.service"))).toBe(false);
    expect(await exists(root.path("/etc/systemd/system/infrastructor-agent.service.d"))).toBe(false);
    expect(await exists(root.path("/etc/systemd/system"))).toBe(true);
  }, 60_000);

  test("--no-enroll with prepared files and --binary/--sha256: no collector needed; a wrong hash installs nothing", async () => {
    await Bun.write(
      root.path("/tmp/agent.json"),
      JSON.stringify({ host: "prepared", nats: { url: "nats://hub:4222" } }),
    );
    await Bun.write(root.path("/tmp/agent.creds"), "creds of prepared\n");
    await copyFile(join(builds, "v1"), root.path("/tmp/agent-binary"));
    const hash = await sha256(join(builds, "v1"));
    const common = [
      "--no-enroll",
      "--config",
      "/tmp/agent.json",
      "--creds",
      "/tmp/agent.creds",
      "--binary",
      "/tmp/agent-binary",
    ];
    const wrong = await root.run([
      "sh",
      "/tmp/install.sh",
      ...common,
      "--sha256",
      "0".repeat(64),
      "--collector",
      "http://127.0.0.1:1",
    ]);
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr).toContain(
      `the agent binary's SHA-256 is ${hash}, expected ${"0".repeat(64)}: not installed`,
    );
    expect(await exists(root.path("/usr/local/bin/infrastructor-agent"))).toBe(false);

    const r = await root.run([
      "sh",
      "/tmp/install.sh",
      ...common,
      "--sha256",
      hash,
      "--collector",
      "http://127.0.0.1:1",
    ]);
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
    const creds = await stat(root.path("/etc/infrastructor/agent.creds"));
    expect({ mode: creds.mode & 0o777, uid: creds.uid }).toEqual({ mode: 0o640, uid: 0 });
    expect(await readFile(root.path("/etc/infrastructor/agent.creds"), "utf8")).toBe("creds of prepared\n");
    expect(JSON.parse(await readFile(root.path("/etc/infrastructor/agent.json"), "utf8")).host).toBe(
      "prepared",
    );
  }, 60_000);

  test("bad arguments are refused before anything happens", async () => {
    for (const [args, message] of [
      [["--token", "ie_$(reboot)"], "--token: not an enrollment token"],
      [["--token-file", "/nonexistent"], "--token-file /nonexistent: no such file"],
      [["--token", "ie_x", "--token-file", "/etc/hostname"], "--token and --token-file exclude each other"],
      [["--collector", "http://hub/x'y"], "--collector: http(s)://host[:port] expected"],
      [["--sha256", "ABC"], "--sha256: 64 lower-case hex digits expected"],
      [["--init", "upstart"], "--init: systemd, openrc or plain"],
      [["--frobnicate"], "unknown option: --frobnicate"],
      [["--hostname", "bad host"], "is not a DNS label"],
    ] as const) {
      const r = await root.run(["sh", "/tmp/install.sh", ...args]);
      expect({ args, exitCode: r.exitCode, said: r.stderr.includes(message) }).toEqual({
        args,
        exitCode: 1,
        said: true,
      });
    }
  });
});
