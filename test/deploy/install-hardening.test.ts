import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { cp, readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { type IsolatedRoot, startIsolatedRoot } from "@infrastructor/lib/testing/isolated-root.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";

/**
 * deploy/install.sh against an agent user turned hostile, in an isolated root (shared/lib/testing/isolated-root.ts:
 * real useradd, sudo, file modes, overlays on /etc, /usr/local, /var/lib, /var/log and /root). No collector:
 * --no-enroll with a prepared config, and a stand-in agent (a shell script) run by the plain supervisor.
 * What the agent's user plants in its own directories must never make the next install run (as root)
 * change anything outside them; its sudo rule must run smartctl's read commands only.
 */
const repo = resolve(import.meta.dir, "../..");
const AGENT = "infrastructor";
let root: IsolatedRoot;
let agentSha: string;
const install = ["sh", "/tmp/deploy/install.sh"];
let args: string[];

/** Runs argv inside the root as the agent's user (runuser execs it directly: no login shell). */
function asAgent(argv: string[]) {
  return root.run(["runuser", "-u", AGENT, "--", ...argv]);
}

/**
 * Owner, group, mode, size and (for files) mtime and link target of everything under /etc and
 * /usr/local, and /root two levels deep: what a root-owned write or chown through a link would change.
 * Directory mtimes are left out (a rename in /etc/infrastructor changes its directory's).
 */
async function snapshot(): Promise<string[]> {
  const fields = "%y %p %u:%g %m %s";
  const r = await root.run([
    "sh",
    "-c",
    `find /etc /usr/local -xdev -type d -printf '${fields}\\n'; find /etc /usr/local -xdev ! -type d -printf '${fields} %T@ %l\\n'; find /root -maxdepth 2 -printf '${fields} %l\\n'`,
  ]);
  if (r.exitCode !== 0) throw new Error(`snapshot: ${r.stderr}`);
  return r.stdout
    .split("\n")
    .filter((line) => line !== "")
    .sort();
}

/** The installer's own files, which a run rewrites (new inode, new mtime): not part of the comparison. */
const OWN = [
  "/etc/infrastructor/",
  "/etc/sudoers.d/infrastructor-agent ",
  "/usr/local/libexec/infrastructor/",
  "/usr/local/lib/infrastructor/",
];
const notOwn = (line: string): boolean => !OWN.some((own) => line.split(" ")[1]?.concat(" ").startsWith(own));

beforeAll(async () => {
  // /root overlaid: a link the agent's user plants may point there.
  root = await startIsolatedRoot("inst-harden", { overlayRootHome: true });
  await cp(resolve(repo, "deploy"), root.path("/tmp/deploy"), { recursive: true });
  // The stand-in agent writes a line to its log, then idles; the plain supervisor keeps it running.
  const agent = '#!/bin/sh\necho "stand-in agent $$ started"\nexec sleep 2147483647\n';
  await Bun.write(root.path("/tmp/agent"), agent);
  agentSha = createHash("sha256").update(agent).digest("hex");
  await Bun.write(root.path("/tmp/agent.json"), JSON.stringify({ host: "inst-harden" }));
  await Bun.write(root.path("/tmp/agent.creds"), "creds of inst-harden\n");
  // smartctl as the installer finds it first in PATH: a stand-in that records each run, then the real one.
  await Bun.write(
    root.path("/usr/local/sbin/smartctl"),
    '#!/bin/sh\nprintf \'%s|\' "$@" >>/run/smartctl-runs.log\necho >>/run/smartctl-runs.log\nexec /usr/sbin/smartctl "$@"\n',
  );
  await root.run(["chmod", "0755", "/usr/local/sbin/smartctl"]);
  args = [
    ...install,
    "--no-enroll",
    "--config",
    "/tmp/agent.json",
    "--creds",
    "/tmp/agent.creds",
    "--binary",
    "/tmp/agent",
    "--sha256",
    agentSha,
    "--init",
    "plain",
  ];
  const r = await root.run(args);
  if (r.exitCode !== 0) throw new Error(`first install: ${r.stdout}${r.stderr}`);
}, 120_000);

afterAll(async () => {
  await root?.destroy();
}, 60_000);

describe("install.sh: the agent's user cannot become root through the next install run", () => {
  test("config and credentials are root's, readable by the agent's group only, not writable by the agent", async () => {
    const gid = Number(/^infrastructor:x:(\d+):/m.exec(await readFile(root.path("/etc/group"), "utf8"))?.[1]);
    for (const path of ["/etc/infrastructor/agent.json", "/etc/infrastructor/agent.creds"]) {
      const s = await stat(root.path(path));
      expect({ path, uid: s.uid, gid: s.gid, mode: s.mode & 0o777 }).toEqual({
        path,
        uid: 0,
        gid,
        mode: 0o640,
      });
      expect((await asAgent(["cat", path])).exitCode).toBe(0);
      expect((await asAgent(["sh", "-c", `echo x >>${path}`])).exitCode).not.toBe(0);
    }
    const logDir = await stat(root.path("/var/log/infrastructor"));
    expect({ uid: logDir.uid, mode: logDir.mode & 0o777 }).toEqual({ uid: 0, mode: 0o750 });
    expect((await asAgent(["touch", "/var/log/infrastructor/planted"])).exitCode).not.toBe(0);
  });

  test("links planted in its state and log directories are refused or never followed: nothing outside changes", async () => {
    await waitFor("the stand-in agent's first log line", async () =>
      (await readFile(root.path("/var/log/infrastructor/agent.log"), "utf8")).includes("stand-in agent"),
    );
    // The log directory as an earlier install.sh left it: the agent's own.
    await root.run(["chown", `${AGENT}:${AGENT}`, "/var/log/infrastructor"]);
    for (const argv of [
      ["mkdir", "-p", "/var/lib/infrastructor/spool"],
      ["mv", "/var/lib/infrastructor/spool", "/var/lib/infrastructor/spool.real"],
      ["ln", "-s", "/etc", "/var/lib/infrastructor/spool"],
      ["ln", "-s", "/etc/shadow", "/var/lib/infrastructor/positions.json"],
      ["ln", "-s", "/root/.ssh/authorized_keys", "/var/lib/infrastructor/agent.log"],
      ["rm", "-f", "/var/log/infrastructor/agent.log"],
      ["ln", "-s", "/etc/sudoers.d/x", "/var/log/infrastructor/agent.log"],
    ]) {
      const r = await asAgent(argv);
      expect({ argv, exitCode: r.exitCode, stderr: r.stderr }).toEqual({ argv, exitCode: 0, stderr: "" });
    }
    const before = await snapshot();

    const r = await root.run(args); // the upgrade
    expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({ exitCode: 0, stderr: "" });
    expect(r.stdout).toContain("refused: lrwxrwxrwx");
    expect(r.stdout).toContain("/var/log/infrastructor/agent.log -> /etc/sudoers.d/x is not root's own file");

    const after = await snapshot();
    expect(after.filter(notOwn)).toEqual(before.filter(notOwn));
    expect(await Bun.file(root.path("/etc/sudoers.d/x")).exists()).toBe(false);
    const etc = await stat(root.path("/etc"));
    expect({ uid: etc.uid, mode: etc.mode & 0o777 }).toEqual({ uid: 0, mode: 0o755 });
    // The log is root's again, a fresh regular file the restarted supervisor appends to.
    const log = await stat(root.path("/var/log/infrastructor/agent.log"));
    expect({ file: log.isFile(), uid: log.uid, links: log.nlink }).toEqual({ file: true, uid: 0, links: 1 });
    const logDir = await stat(root.path("/var/log/infrastructor"));
    expect(logDir.uid).toBe(0);
  }, 120_000);

  test("a failed run leaves no temporary file behind", async () => {
    const listing = async (): Promise<string> =>
      (await root.run(["ls", "-a", "/tmp", "/usr/local/bin", "/etc/infrastructor"])).stdout;
    const before = await listing();
    const wrongHash = args.map((a) => (a === agentSha ? "0".repeat(64) : a));
    const r = await root.run(wrongHash);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("SHA-256");
    await Bun.write(root.path("/tmp/token"), `ie_${"a".repeat(43)}\n`);
    const refused = await root.run([
      ...install,
      "--token-file",
      "/tmp/token",
      "--collector",
      "http://127.0.0.1:1",
      "--binary",
      "/tmp/agent",
      "--sha256",
      agentSha,
      "--init",
      "plain",
    ]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain("enrollment refused (HTTP 000");
    await root.run(["rm", "/tmp/token"]);
    expect(await listing()).toBe(before);
  }, 60_000);
});

describe("install.sh: the enrollment token from the terminal (curl | sudo sh)", () => {
  test("a first install on a terminal asks for the token and enrolls with it; without a terminal it says what to do", async () => {
    // A first install again: no config yet.
    await root.run(["mv", "/etc/infrastructor/agent.json", "/tmp/agent.json.kept"]);
    try {
      const installer = `${install.join(" ")} --collector http://127.0.0.1:1 --binary /tmp/agent --sha256 ${agentSha} --init plain`;
      // script(1) gives the installer a terminal; what it is fed arrives there as if typed.
      const typed = await root.run(
        ["sh", "-c", 'printf "%s\\n" "$TOKEN" | script -qec "$1" /dev/null', "sh", installer],
        {
          env: { TOKEN: `ie_${"b".repeat(43)}` },
        },
      );
      expect(typed.stdout).toContain("enrollment token (from the collector; not shown): ");
      // It read the token and went on to enroll (this collector address answers nothing).
      expect(typed.stdout).toContain("enrollment refused (HTTP 000");
      const noTerminal = await root.run(installer.split(" "));
      expect(noTerminal.exitCode).toBe(1);
      expect(noTerminal.stderr).toContain("first install: give --token-file FILE, or run it on a terminal");
    } finally {
      await root.run(["mv", "/tmp/agent.json.kept", "/etc/infrastructor/agent.json"]);
    }
  }, 60_000);
});

describe("install.sh's smartctl sudo rule: the read commands only, through the wrapper", () => {
  const WRAPPER = "/usr/local/libexec/infrastructor/smartctl-read";
  const sudo = (argv: string[]) => asAgent(["sudo", "-n", ...argv]);
  const runs = async (): Promise<string[]> =>
    (await readFile(root.path("/run/smartctl-runs.log"), "utf8").catch(() => ""))
      .split("\n")
      .filter((l) => l !== "");

  test("sudoers names the root-owned wrapper and nothing else", async () => {
    const rule = await readFile(root.path("/etc/sudoers.d/infrastructor-agent"), "utf8");
    expect(rule).toContain(`${AGENT} ALL=(root) NOPASSWD: ${WRAPPER}\n`);
    expect(rule).not.toContain("*");
    const w = await stat(root.path(WRAPPER));
    expect({ uid: w.uid, mode: w.mode & 0o777 }).toEqual({ uid: 0, mode: 0o755 });
    expect(await readFile(root.path(WRAPPER), "utf8")).toContain("\nSMARTCTL=/usr/local/sbin/smartctl\n");
  });

  test("the agent's read commands reach smartctl as root", async () => {
    await root.run(["rm", "-f", "/run/smartctl-runs.log"]);
    const scan = await sudo([WRAPPER, "--scan-open", "-j"]);
    expect(scan.exitCode).toBe(0);
    expect(JSON.parse(scan.stdout).smartctl.argv).toEqual(["smartctl", "--scan-open", "-j"]);
    // No disk here answers SMART (the virtual disk), but smartctl ran with exactly this argv, as root.
    const read = await sudo([WRAPPER, "-a", "-j", "-n", "standby", "-d", "sat", "/dev/sda"]);
    expect(JSON.parse(read.stdout).smartctl.argv).toEqual([
      "smartctl",
      "-a",
      "-j",
      "-n",
      "standby",
      "-d",
      "sat",
      "/dev/sda",
    ]);
    expect(await runs()).toEqual(["--scan-open|-j|", "-a|-j|-n|standby|-d|sat|/dev/sda|"]);
  });

  test("-s off, --set, -t long, extra words, traversal and options hidden in the device type are refused", async () => {
    await root.run(["rm", "-f", "/run/smartctl-runs.log"]);
    for (const extra of [
      ["-s", "off", "/dev/sda"],
      ["--set=wcache,off", "/dev/sda"],
      ["-t", "long", "/dev/sda"],
      ["-a", "-j", "-n", "standby", "-d", "sat", "/dev/sda", "-s", "off"],
      ["-a", "-j", "-n", "standby", "-d", "sat", "/dev/../etc/shadow"],
      ["-a", "-j", "-n", "standby", "-d", "sat -s off", "/dev/sda"],
      ["-i", "-H", "-A", "-n", "standby", "-d", "sat", "-t", "long"],
      ["--scan-open", "-j", "-t", "long"],
    ]) {
      const r = await sudo([WRAPPER, ...extra]);
      expect({ extra, exitCode: r.exitCode, said: r.stderr.includes("smartctl-read: refused") }).toEqual({
        extra,
        exitCode: 64,
        said: true,
      });
      // And smartctl itself, by any path, is not the agent's to run as root at all.
      for (const smartctl of ["/usr/sbin/smartctl", "/usr/local/sbin/smartctl"]) {
        const direct = await sudo([smartctl, ...extra]);
        expect({ smartctl, extra, exitCode: direct.exitCode }).toEqual({ smartctl, extra, exitCode: 1 });
      }
    }
    expect(await runs()).toEqual([]);
  }, 60_000);
});
