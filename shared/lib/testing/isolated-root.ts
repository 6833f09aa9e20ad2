import { readFileSync } from "node:fs";
import { mkdtemp, readdir, readFile, readlink, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";

/**
 * A host of its own for installer tests, without a container runtime: a mount and UTS namespace (its
 * own host name) in which /etc, /usr/local, /var/lib and /var/log (and /root if asked) are overlays of
 * this machine's (writes land in a tmpfs and vanish with the namespace) and /run and /tmp are fresh
 * tmpfs. Real useradd, real sudo, real file modes; nothing leaks into this machine. A `sleep` holds the
 * namespace; commands enter it with nsenter, and whatever they leave running (the agent's supervisor)
 * stays inside it.
 */
export interface IsolatedRoot {
  hostname: string;
  /** Runs argv inside the namespace (as root) and collects its output. */
  run(argv: string[], options?: { env?: Record<string, string> }): Promise<RunResult>;
  /** A path inside the namespace as seen from outside (through /proc/<pid>/root). */
  path(inside: string): string;
  /** Kills every process left in the namespace, then the namespace's holder. */
  destroy(): Promise<void>;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const OVERLAID = ["/etc", "/usr/local", "/var/lib", "/var/log"];
const PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * `netns`: a network namespace (`ip netns add`) the root lives in, for a host with an address of its own.
 * `overlayRootHome`: /root overlaid too, for a test that may make the installer (wrongly) follow a link
 * into root's home; off by default (SSH logins as root read its start-up files, and keep them shared).
 */
export async function startIsolatedRoot(
  hostname: string,
  options: { netns?: string; overlayRootHome?: boolean } = {},
): Promise<IsolatedRoot> {
  const scratch = await mkdtemp(join(tmpdir(), "infra-isolated-"));
  const inNetns = options.netns === undefined ? [] : ["ip", "netns", "exec", options.netns];
  const holder: Subprocess = Bun.spawn(
    [...inNetns, "unshare", "--mount", "--uts", "--propagation", "private", "sleep", "infinity"],
    { stdout: "ignore", stderr: "pipe" },
  );
  const enter = (argv: string[]): string[] => [
    "nsenter",
    "-t",
    String(holder.pid),
    "-m",
    "-u",
    ...(options.netns === undefined ? [] : ["-n"]),
    "--",
    ...argv,
  ];
  const run = async (argv: string[], options: { env?: Record<string, string> } = {}): Promise<RunResult> => {
    const proc = Bun.spawn(enter(argv), {
      env: { PATH, HOME: "/root", LANG: "C.UTF-8", ...options.env },
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, stderr, exitCode] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    return { exitCode, stdout, stderr };
  };
  const must = async (argv: string[]): Promise<void> => {
    const r = await run(argv);
    if (r.exitCode !== 0) throw new Error(`${argv.join(" ")} exited ${r.exitCode}: ${r.stderr}`);
  };

  const destroy = async (): Promise<void> => {
    const ns = await readlink(`/proc/${holder.pid}/ns/mnt`).catch(() => null);
    if (ns !== null) {
      for (const signal of ["SIGTERM", "SIGKILL"] as const) {
        const inside = await processesIn(ns, holder.pid);
        for (const pid of inside) {
          try {
            process.kill(pid, signal);
          } catch {
            // ESRCH: it exited between the listing and the signal.
          }
        }
        if (inside.length > 0) await Bun.sleep(500);
      }
    }
    holder.kill("SIGKILL");
    await holder.exited;
    await rm(scratch, { recursive: true, force: true });
  };

  try {
    await waitUntilInside(holder, options.netns !== undefined);
    const ownHostname = hostnameOfThisMachine();
    await must(["hostname", hostname]);
    // Belt and braces: had nsenter -u joined our own UTS namespace, this machine would now be renamed.
    if (hostnameOfThisMachine() !== ownHostname)
      throw new Error(`isolated root: setting the host name "${hostname}" reached this machine`);
    await must(["mount", "-t", "tmpfs", "-o", "mode=0755", "isolated", scratch]);
    for (const dir of options.overlayRootHome === true ? [...OVERLAID, "/root"] : OVERLAID) {
      const name = dir.slice(1).replaceAll("/", "_");
      const upper = join(scratch, name, "upper");
      const work = join(scratch, name, "work");
      await must(["mkdir", "-p", upper, work]);
      await must([
        "mount",
        "-t",
        "overlay",
        "overlay",
        "-o",
        `lowerdir=${dir},upperdir=${upper},workdir=${work}`,
        dir,
      ]);
    }
    for (const dir of ["/run", "/tmp"])
      await must(["mount", "-t", "tmpfs", "-o", "mode=1777", "isolated", dir]);
    await must(["chmod", "0755", "/run"]);
    await systemIdsOfItsOwn(run);
  } catch (err) {
    await destroy();
    throw err;
  }
  return {
    hostname,
    run,
    path: (inside: string) => `/proc/${holder.pid}/root${inside}`,
    destroy,
  };
}

/**
 * Waits until the holder runs inside every namespace `enter` will join: its mount and UTS namespaces (and
 * its network namespace, under `ip netns exec`) must all differ from ours. Comparing the mount namespace
 * alone is not enough: `ip netns exec` gives its child a new mount namespace before `unshare --uts` runs,
 * and an nsenter -u at that moment joins this machine's UTS namespace (and `hostname` renames it).
 * Never proceeds on a timeout: acting in a namespace not yet entered is acting on this machine.
 */
async function waitUntilInside(holder: Subprocess, inNetns: boolean): Promise<void> {
  const kinds = inNetns ? ["mnt", "uts", "net"] : ["mnt", "uts"];
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (holder.exitCode !== null)
      throw new Error(`isolated root: the namespace holder exited (${holder.exitCode})`);
    let entered = true;
    for (const kind of kinds) {
      const mine = await readlink(`/proc/self/ns/${kind}`);
      const its = await readlink(`/proc/${holder.pid}/ns/${kind}`).catch(() => mine);
      if (its === mine) entered = false;
    }
    if (entered) {
      // The mount namespace must also be unshare's own, not the one `ip netns exec` made: unshare has
      // exec'd sleep once the holder's command line is sleep's.
      const cmdline = await readFile(`/proc/${holder.pid}/cmdline`, "utf8").catch(() => "");
      if (cmdline.startsWith("sleep\0")) return;
    }
    await Bun.sleep(20);
  }
  throw new Error("isolated root: the namespace holder did not enter its namespaces within 30 s");
}

/**
 * System users made in this root (useradd --system, as install.sh does) get ids of a random block of its
 * own, above UID_MAX: the root shares this machine's pid namespace, and userdel refuses a uid that any
 * process on the machine runs as, such as the same-named agent user of another test's root.
 */
async function systemIdsOfItsOwn(run: IsolatedRoot["run"]): Promise<void> {
  const base = 61_000 + 10 * Math.floor(Math.random() * 400);
  const lines = ["UID", "GID"].flatMap((k) => [`SYS_${k}_MIN ${base}`, `SYS_${k}_MAX ${base + 9}`]);
  const r = await run(["sh", "-c", 'printf "%s\\n" "$@" >>/etc/login.defs', "sh", ...lines]);
  if (r.exitCode !== 0) throw new Error(`isolated root: login.defs: ${r.stderr}`);
}

/** Read from the kernel each time (this process's UTS namespace is this machine's). */
function hostnameOfThisMachine(): string {
  return readFileSync("/proc/sys/kernel/hostname", "utf8").trim();
}

/** Every process (but the holder) whose mount namespace is `ns`. */
async function processesIn(ns: string, holderPid: number): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === holderPid) continue;
    const theirs = await readlink(`/proc/${entry}/ns/mnt`).catch(() => null);
    if (theirs === ns) pids.push(Number(entry));
  }
  return pids;
}
