import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitForPort } from "../../../scripts/lib/free-port.ts";
import { type IsolatedRoot, startIsolatedRoot } from "./isolated-root.ts";
import { keyOnlySshdConfig } from "./sshd.ts";

/**
 * A separate "host" on this machine: a network namespace with an address of its own (a veth pair,
 * 10.231.<n>.2, this machine's end 10.231.<n>.1), a hostname of its own (UTS), and an isolated root
 * (shared/lib/testing/isolated-root.ts: /etc, /usr/local, /var/lib, /var/log overlays) where a real sshd runs
 * as on a server: root login with a key (its HOME an empty tmpfs, so none of this machine's /root start-up
 * files run), SFTP. Whatever is installed over SSH lands in the overlays.
 */
export interface NetnsHost {
  root: IsolatedRoot;
  /** The host's address, where its sshd listens on port 22. */
  address: string;
  /** This machine's address as the host sees it (bind relays here). */
  gateway: string;
  /** The client key authorized for root. */
  keyPath: string;
  destroy(): Promise<void>;
}

export async function startNetnsHost(hostname: string): Promise<NetnsHost> {
  const n = 1 + Math.floor(Math.random() * 250);
  const netns = `infra-${hostname}-${n}`.slice(0, 30);
  const [outside, inside] = [`vi${n}h${process.pid % 1000}`, `vi${n}n${process.pid % 1000}`];
  const gateway = `10.231.${n}.1`;
  const address = `10.231.${n}.2`;
  const dir = await mkdtemp(join(tmpdir(), "infra-netns-host-"));
  const undo: (() => Promise<void>)[] = [];
  const destroy = async (): Promise<void> => {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await sh(["ip", "netns", "add", netns]);
    undo.push(() => sh(["ip", "netns", "del", netns])); // takes the veth pair with it
    await sh(["ip", "link", "add", outside, "type", "veth", "peer", "name", inside]);
    await sh(["ip", "link", "set", inside, "netns", netns]);
    await sh(["ip", "addr", "add", `${gateway}/30`, "dev", outside]);
    await sh(["ip", "link", "set", outside, "up"]);
    const inNs = (argv: string[]): Promise<void> => sh(["ip", "netns", "exec", netns, ...argv]);
    await inNs(["ip", "addr", "add", `${address}/30`, "dev", inside]);
    await inNs(["ip", "link", "set", inside, "up"]);
    await inNs(["ip", "link", "set", "lo", "up"]);

    const root = await startIsolatedRoot(hostname, { netns });
    undo.push(() => root.destroy());
    const keyPath = join(dir, "client_ed25519");
    await sh(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "infra-test", "-f", keyPath]);
    await sh([
      "ssh-keygen",
      "-q",
      "-t",
      "ed25519",
      "-N",
      "",
      "-C",
      hostname,
      "-f",
      join(dir, "host_ed25519"),
    ]);
    const etc = root.path("/etc/infra-test-sshd");
    await mkdir(etc, { mode: 0o700 });
    await writeFile(join(etc, "host_ed25519"), await readFile(join(dir, "host_ed25519")), { mode: 0o600 });
    await writeFile(join(etc, "authorized_keys"), await readFile(`${keyPath}.pub`), { mode: 0o600 });
    await writeFile(
      join(etc, "sshd_config"),
      keyOnlySshdConfig({
        listen: `${address}:22`,
        hostKey: "/etc/infra-test-sshd/host_ed25519",
        pidFile: "/run/infra-test-sshd.pid",
        authorizedKeys: "/etc/infra-test-sshd/authorized_keys",
        extra: ["Subsystem sftp internal-sftp"],
      }),
    );
    // root's login shell is bash, which sources ~/.bashrc for every command infra runs over SSH, and
    // /root is this machine's (pyenv init here): inside the namespace root gets an empty HOME instead.
    const home = await root.run(["mount", "-t", "tmpfs", "-o", "mode=0700", "isolated-home", "/root"]);
    if (home.exitCode !== 0) throw new Error(`mount tmpfs on /root: ${home.stderr}`);
    const mk = await root.run(["mkdir", "-p", "/run/sshd"]);
    if (mk.exitCode !== 0) throw new Error(`mkdir /run/sshd: ${mk.stderr}`);
    // Without -D sshd daemonizes inside the namespace; destroy() kills whatever runs there.
    const started = await root.run(["/usr/sbin/sshd", "-f", "/etc/infra-test-sshd/sshd_config"]);
    if (started.exitCode !== 0) throw new Error(`sshd: ${started.stderr}`);
    await waitForPort(address, 22, 10_000);
    return { root, address, gateway, keyPath, destroy };
  } catch (err) {
    await destroy();
    throw err;
  }
}

async function sh(argv: string[]): Promise<void> {
  const proc = Bun.spawn(argv, { stdin: "ignore", stdout: "ignore", stderr: "pipe" });
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`${argv.join(" ")} exited ${code}: ${stderr}`);
}
