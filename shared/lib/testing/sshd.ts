import { existsSync, readdirSync, readFileSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { freePort, waitForPort } from "../../../scripts/lib/free-port.ts";
import { type LoginUserOptions, prepareLoginUser } from "./sshd-login-user.ts";

export interface TestSshd {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** The login user's HOME (a temp dir) and login shell, as sshd's sessions see them. */
  readonly home: string;
  readonly shell: string;
  /** The client's private key (ed25519, no passphrase), authorized for `user`. */
  readonly keyPath: string;
  /** The current host key's fingerprint as ssh-keygen prints it (`SHA256:...`, no padding). */
  readonly hostKeyFingerprint: string;
  /** The current host key's public line (`ssh-ed25519 AAAA...`), for known_hosts files. */
  readonly hostKeyLine: string;
  /** Stops sshd, replaces its host key and starts it again on the same port. */
  restartWithNewHostKey(): Promise<void>;
  /** Stops the listener and every session it forked, so clients see their connections drop. */
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

const SSHD = "/usr/sbin/sshd";

/**
 * A real OpenSSH server on 127.0.0.1 for one test file, key-only, everything in a temp dir (ENVIRONMENT.md:
 * own host key, `UsePAM no`; `/run/sshd` is its privilege-separation directory). It logs in a dedicated
 * account with /bin/sh and a temp HOME that exists only in sshd's mount namespace (sshd-login-user.ts),
 * never the user running the tests: their shell start-up files must not decide whether tests pass.
 * Default: "infra-test" with root's privileges (`PermitRootLogin prohibit-password`); `StrictModes no`
 * because the temp dir's permissions are not the home directory's.
 */
export async function startTestSshd(
  options: Partial<LoginUserOptions> = {},
  server: { maxSessions?: number } = {},
): Promise<TestSshd> {
  for (const need of [SSHD, "/usr/bin/ssh-keygen"]) {
    if (!existsSync(need)) throw new Error(`${need} is missing: run scripts/ensure-packages.sh test`);
  }
  await mkdir("/run/sshd", { recursive: true });
  const dir = await mkdtemp(join(tmpdir(), "infra-sshd-"));
  const host = "127.0.0.1";
  const port = freePort();
  const keyPath = join(dir, "client_ed25519");
  const hostKeyPath = join(dir, "host_ed25519");
  await keygen(keyPath);
  await writeFile(join(dir, "authorized_keys"), readFileSync(`${keyPath}.pub`));
  const login = await prepareLoginUser(dir, {
    name: options.name ?? "infra-test",
    privileges: options.privileges ?? "root",
    ...(options.startupOutput === undefined ? {} : { startupOutput: options.startupOutput }),
  });
  // sshd reads authorized_keys as the user.
  await chmod(dir, 0o755);
  await chmod(join(dir, "authorized_keys"), 0o644);
  await writeFile(join(dir, "sshd_config"), config(dir, host, port, hostKeyPath, server.maxSessions ?? 10));

  let proc: Subprocess | null = null;
  let fingerprint = "";
  let hostKeyLine = "";

  const newHostKey = async (): Promise<void> => {
    await rm(hostKeyPath, { force: true });
    await rm(`${hostKeyPath}.pub`, { force: true });
    await keygen(hostKeyPath);
    fingerprint = await fingerprintOf(`${hostKeyPath}.pub`);
    hostKeyLine = readFileSync(`${hostKeyPath}.pub`, "utf8").split(" ").slice(0, 2).join(" ");
  };

  const start = async (): Promise<void> => {
    if (proc !== null) return;
    const started = Bun.spawn(login.wrap([SSHD, "-D", "-e", "-f", join(dir, "sshd_config")]), {
      stdin: "ignore",
      stdout: "ignore",
      stderr: "pipe",
    });
    proc = started;
    try {
      await waitForPort(host, port, 10_000);
    } catch (err) {
      started.kill("SIGKILL");
      proc = null;
      const stderr = await new Response(started.stderr).text();
      throw new Error(`sshd did not start: ${stderr}`, { cause: err });
    }
  };

  const stop = async (): Promise<void> => {
    const running = proc;
    if (running === null) return;
    proc = null;
    // Each session is a child sshd in a session of its own (setsid), so killing the listener alone would
    // leave established connections working; kill its descendants by pid too.
    const pids = [...descendants(running.pid), running.pid];
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // ESRCH: already gone.
      }
    }
    await running.exited;
  };

  await newHostKey();
  await start();
  return {
    host,
    port,
    user: login.name,
    home: login.home,
    shell: login.shell,
    keyPath,
    get hostKeyFingerprint() {
      return fingerprint;
    },
    get hostKeyLine() {
      return hostKeyLine;
    },
    async restartWithNewHostKey() {
      await stop();
      await newHostKey();
      await start();
    },
    stop,
    start,
    async destroy() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function config(dir: string, host: string, port: number, hostKeyPath: string, maxSessions: number): string {
  return keyOnlySshdConfig({
    listen: `${host}:${port}`,
    hostKey: hostKeyPath,
    pidFile: join(dir, "sshd.pid"),
    authorizedKeys: join(dir, "authorized_keys"),
    extra: ["AllowStreamLocalForwarding yes", `MaxSessions ${maxSessions}`],
  });
}

/**
 * The sshd_config of a test sshd: key-only logins (no PAM, passwords or keyboard-interactive), root
 * allowed with a key, `StrictModes no` (its files sit in temp dirs), quiet logs; `extra` lines added.
 */
export function keyOnlySshdConfig(options: {
  listen: string;
  hostKey: string;
  pidFile: string;
  authorizedKeys: string;
  extra?: readonly string[];
}): string {
  return [
    `ListenAddress ${options.listen}`,
    `HostKey ${options.hostKey}`,
    `PidFile ${options.pidFile}`,
    `AuthorizedKeysFile ${options.authorizedKeys}`,
    "UsePAM no",
    "PubkeyAuthentication yes",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PermitRootLogin prohibit-password",
    "StrictModes no",
    ...(options.extra ?? []),
    "LogLevel ERROR",
    "",
  ].join("\n");
}

async function keygen(path: string): Promise<void> {
  const proc = Bun.spawn(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "infra-test", "-f", path], {
    stdin: "ignore",
    stdout: "ignore",
    stderr: "pipe",
  });
  if ((await proc.exited) !== 0)
    throw new Error(`ssh-keygen failed: ${await new Response(proc.stderr).text()}`);
}

/** `ssh-keygen -l` prints `256 SHA256:xxx comment (ED25519)`: an independent check of our own hashing. */
async function fingerprintOf(pubPath: string): Promise<string> {
  const proc = Bun.spawn(["ssh-keygen", "-l", "-E", "sha256", "-f", pubPath], { stdout: "pipe" });
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  const fp = out.split(" ")[1];
  if (fp === undefined || !fp.startsWith("SHA256:"))
    throw new Error(`unexpected ssh-keygen -l output: ${out}`);
  return fp;
}

/** Every live descendant of `root`, from /proc's parent links. */
function descendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // Field 4 (ppid) follows the parenthesised command name, which may itself contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parentOf.set(pid, ppid);
    } catch {
      // The process exited while we looked.
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const [pid, ppid] of parentOf) {
      if (ppid === parent) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }
  return found;
}
