import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { waitFor } from "./wait.ts";

export interface TestPodman {
  /** The Docker-compatible API socket. */
  socket: string;
  /** Runs `podman ARGS` in the service's mount namespace; throws with its stderr on failure. */
  podman(...args: string[]): Promise<string>;
  /** The busybox image imported at start. */
  readonly image: string;
  destroy(): Promise<void>;
}

const BUSYBOX = "/bin/busybox";
const IMAGE = "localhost/infra-test/busybox:latest";

/**
 * A podman serving the Docker Engine API for one test file, isolated in a temp dir (vfs storage, its own
 * CNI config dir), with a busybox image imported from busybox-static (no registry is reachable).
 * Two sandbox workarounds (see ENVIRONMENT.md): ulimits set in containers.conf, and the service runs in
 * its own mount namespace without the cgroup2 `unified` mount; every podman command joins that namespace.
 */
export async function startTestPodman(): Promise<TestPodman> {
  for (const need of ["/usr/bin/podman", BUSYBOX, "/usr/bin/nsenter", "/usr/bin/unshare"]) {
    if (!existsSync(need)) {
      throw new Error(
        `${need} is missing: podman tests need podman and busybox-static (run scripts/ensure-packages.sh test)`,
      );
    }
  }
  const dir = await mkdtemp(join(tmpdir(), "infra-podman-"));
  const env = await writeConfig(dir);
  const socket = join(dir, "podman.sock");
  const service = Bun.spawn(
    [
      "unshare",
      "-m",
      "sh",
      "-c",
      'mount --make-rprivate / && { umount /sys/fs/cgroup/unified 2>/dev/null || true; } && exec podman system service --time=0 "unix://$1"',
      "sh",
      socket,
    ],
    { env, stdout: "ignore", stderr: "pipe" },
  );
  const podman = async (...args: string[]): Promise<string> =>
    run(["nsenter", "-t", String(service.pid), "-m", "podman", ...args], env);
  try {
    await waitFor(
      "the podman API socket",
      async () => {
        if (service.exitCode !== null)
          throw new Error(
            `podman service exited ${service.exitCode}: ${await new Response(service.stderr).text()}`,
          );
        const res = await fetch("http://d/_ping", { unix: socket }).catch(() => null);
        return res?.status === 200;
      },
      60_000,
    );
    await importBusybox(dir, podman, env, service);
  } catch (err) {
    await stop(service, dir);
    throw new Error(`podman cannot run here: ${err instanceof Error ? err.message : err}`);
  }
  return {
    socket,
    podman,
    image: IMAGE,
    async destroy(): Promise<void> {
      await podman("rm", "--all", "--force", "--time", "0").catch(() => "");
      await podman("network", "prune", "--force").catch(() => "");
      await stop(service, dir);
    },
  };
}

async function writeConfig(dir: string): Promise<Record<string, string>> {
  const storage = join(dir, "storage");
  await mkdir(join(dir, "cni"), { recursive: true });
  await writeFile(
    join(dir, "containers.conf"),
    `[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1000:1000"]\n\n` +
      `[network]\nnetwork_backend = "cni"\nnetwork_config_dir = "${join(dir, "cni")}"\n\n` +
      `[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\ntmp_dir = "${join(dir, "tmp")}"\n`,
  );
  await writeFile(
    join(dir, "storage.conf"),
    `[storage]\ndriver = "vfs"\ngraphroot = "${join(storage, "root")}"\nrunroot = "${join(storage, "run")}"\n`,
  );
  return {
    ...(process.env as Record<string, string>),
    CONTAINERS_CONF: join(dir, "containers.conf"),
    CONTAINERS_STORAGE_CONF: join(dir, "storage.conf"),
  };
}

async function importBusybox(
  dir: string,
  podman: (...args: string[]) => Promise<string>,
  env: Record<string, string>,
  service: Subprocess,
): Promise<void> {
  const rootfs = join(dir, "rootfs");
  await mkdir(join(rootfs, "bin"), { recursive: true });
  await copyFile(BUSYBOX, join(rootfs, "bin", "busybox"));
  for (const tool of ["sh", "sleep", "true", "cat"]) await symlink("busybox", join(rootfs, "bin", tool));
  const tar = Bun.spawn(["tar", "-C", rootfs, "-c", "."], { stdout: "pipe" });
  const imp = Bun.spawn(
    [
      "nsenter",
      "-t",
      String(service.pid),
      "-m",
      "podman",
      "import",
      "--change",
      'CMD ["/bin/sh"]',
      "-",
      IMAGE,
    ],
    { env, stdin: tar.stdout, stdout: "ignore", stderr: "pipe" },
  );
  if ((await imp.exited) !== 0) throw new Error(`podman import: ${await new Response(imp.stderr).text()}`);
  await podman("image", "exists", IMAGE);
}

async function run(argv: string[], env: Record<string, string>): Promise<string> {
  const proc = Bun.spawn(argv, { env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) throw new Error(`${argv.slice(4).join(" ")} exited ${code}: ${stderr.trim()}`);
  return stdout.trim();
}

async function stop(service: Subprocess, dir: string): Promise<void> {
  service.kill("SIGTERM");
  const exited = await Promise.race([service.exited, Bun.sleep(15_000).then(() => "timeout")]);
  if (exited === "timeout") {
    service.kill("SIGKILL");
    await service.exited;
  }
  await rm(dir, { recursive: true, force: true });
}

/**
 * `podman run` flags for the labels `docker compose up` puts on a service's container in project
 * `blog` (working dir /srv/blog); `dependsOn` is compose's `depends_on` label, e.g. `db:service_healthy:false`.
 */
export function composeLabelFlags(service: string, dependsOn: string): string[] {
  return [
    "com.docker.compose.project=blog",
    `com.docker.compose.service=${service}`,
    "com.docker.compose.project.working_dir=/srv/blog",
    `com.docker.compose.depends_on=${dependsOn}`,
  ].flatMap((label) => ["--label", label]);
}
