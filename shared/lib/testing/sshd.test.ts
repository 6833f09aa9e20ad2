import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { Client } from "ssh2";
import { startTestSshd, type TestSshd } from "./sshd.ts";

// The SSH tests must not depend on the invoking user's shell start-up files (root's ~/.bashrc runs pyenv
// here): the test sshd logs in a dedicated account with /bin/sh whose HOME is a temp dir, and that
// account is never added to this machine's /etc/passwd.
let sshd: TestSshd;
let bench: TestSshd;
const passwdBefore = readFileSync("/etc/passwd", "utf8");
const groupBefore = readFileSync("/etc/group", "utf8");

beforeAll(async () => {
  [sshd, bench] = await Promise.all([
    startTestSshd(),
    startTestSshd({ name: "infra-test-user", privileges: "user" }),
  ]);
});

afterAll(async () => {
  await Promise.all([sshd?.destroy(), bench?.destroy()]);
});

/** One command over a fresh ssh2 connection: stdout as the login shell leaves it. */
function sshRun(server: TestSshd, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.on("error", reject);
    client.on("ready", () => {
      client.exec(command, (err, channel) => {
        if (err) return reject(err);
        let out = "";
        channel.on("data", (chunk: Buffer) => {
          out += chunk.toString("utf8");
        });
        channel.on("close", () => {
          client.end();
          resolve(out);
        });
      });
    });
    client.connect({
      host: server.host,
      port: server.port,
      username: server.user,
      privateKey: readFileSync(server.keyPath),
      hostVerifier: () => true,
    });
  });
}

// A constant command line: the shell's own view of itself. LOGNAME is the account sshd logged in (id -un
// would name uid 0's first entry, root, for the root-privileged account).
const WHOAMI = 'printf "%s|%s|%s|%s" "$SHELL" "$HOME" "$LOGNAME" "$(readlink /proc/$$/exe)"';

test("the SSH login runs /bin/sh as the dedicated test user, with the test user's HOME", async () => {
  const [shell, home, name, exe] = (await sshRun(sshd, WHOAMI)).split("|");
  expect(sshd.user).toBe("infra-test");
  expect([shell, home, name]).toEqual(["/bin/sh", sshd.home, "infra-test"]);
  expect(home).not.toBe("/root");
  // /bin/sh is dash on Debian; what matters is that it is not bash (which would read ~/.bashrc).
  expect(exe).not.toMatch(/bash$/);
  expect(exe).toMatch(/\/(dash|sh|busybox)$/);
});

test("an unprivileged test user gets a uid of its own", async () => {
  const [shell, home, name] = (await sshRun(bench, WHOAMI)).split("|");
  expect([shell, home, name]).toEqual(["/bin/sh", bench.home, "infra-test-user"]);
  expect(Number((await sshRun(bench, "id -u")).trim())).toBeGreaterThan(60_000);
});

test("the test users exist only in sshd's namespace: this machine's passwd and group are unchanged", () => {
  expect(readFileSync("/etc/passwd", "utf8")).toBe(passwdBefore);
  expect(readFileSync("/etc/group", "utf8")).toBe(groupBefore);
  expect(passwdBefore).not.toContain("infra-test-user:");
  const getent = Bun.spawnSync(["getent", "passwd", "infra-test-user"]);
  expect(getent.exitCode).not.toBe(0);
});

test("a login shell with start-up output pollutes a command's stdout (the fixture the product must detect)", async () => {
  const noisy = await startTestSshd({ startupOutput: "welcome from bashrc" });
  try {
    expect(await sshRun(noisy, "printf ok")).toBe("welcome from bashrc\nok");
  } finally {
    await noisy.destroy();
  }
});
