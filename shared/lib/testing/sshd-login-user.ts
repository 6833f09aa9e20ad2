import { readFileSync } from "node:fs";
import { chmod, chown, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * The account a test sshd logs in, without adding a user to this machine. sshd (and every session it
 * forks) runs in a mount namespace of its own where /etc/passwd and /etc/group are bind-mounted copies
 * with the account appended; this machine's files are never written.
 *
 * Why a dedicated account: logging in as the invoking user (root) runs root's login shell, bash, which
 * sources ~/.bashrc for every command sshd runs; a slow, printing or lock-waiting .bashrc there made 30+
 * tests time out. The account's shell is /bin/sh and its HOME a temp dir, so nothing of root's start-up
 * files is read.
 */
export interface LoginUserOptions {
  name: string;
  /**
   * "root": uid 0 (the collectors over SSH must see what they see locally as root: parity tests, the
   * podman socket); "user": an unprivileged uid no account of this machine has (a monitoring user).
   */
  privileges: "root" | "user";
  /**
   * A login shell with start-up output, as a misconfigured monitoring user has: bash with a ~/.bashrc
   * that prints this line. Absent: /bin/sh and no start-up files.
   */
  startupOutput?: string;
}

export interface LoginUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
  /** argv that runs `argv` in a mount namespace where the account exists. */
  wrap(argv: readonly string[]): string[];
}

const NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
// Printed by a fixture .bashrc: kept to characters that need no quoting.
const STARTUP_TEXT = /^[A-Za-z0-9 .,:_-]{1,200}$/;
// The mount script is a constant; the paths and the command reach it as positional arguments.
const MOUNT_AND_EXEC =
  'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/group && shift 2 && exec "$@"';

export async function prepareLoginUser(dir: string, options: LoginUserOptions): Promise<LoginUser> {
  if (!NAME.test(options.name)) throw new Error(`not a user name: ${options.name}`);
  if (options.startupOutput !== undefined && !STARTUP_TEXT.test(options.startupOutput))
    throw new Error(`startupOutput must match ${STARTUP_TEXT}`);
  const passwd = readFileSync("/etc/passwd", "utf8");
  const group = readFileSync("/etc/group", "utf8");
  const uid = options.privileges === "root" ? 0 : freeId(passwd, group);
  const gid = uid;
  const home = join(dir, "home");
  const shell = options.startupOutput === undefined ? "/bin/sh" : "/bin/bash";
  await mkdir(home, { mode: 0o700 });
  if (options.startupOutput !== undefined) {
    // bash sources ~/.bashrc for `bash -c` when its stdin is a socket, as under sshd.
    await writeFile(join(home, ".bashrc"), `echo ${options.startupOutput}\n`);
  }
  await chown(home, uid, gid);

  const etc = join(dir, "etc");
  await mkdir(etc, { mode: 0o755 });
  const passwdCopy = join(etc, "passwd");
  const groupCopy = join(etc, "group");
  // Any account of this machine with the same name is left out: getpwnam would return the first.
  await writeFile(
    passwdCopy,
    `${withoutEntry(passwd, options.name)}${options.name}:x:${uid}:${gid}:infrastructor test:${home}:${shell}\n`,
  );
  const groupLine = options.privileges === "root" ? "" : `${options.name}:x:${gid}:\n`;
  await writeFile(groupCopy, `${withoutEntry(group, options.name)}${groupLine}`);
  await chmod(passwdCopy, 0o644);
  await chmod(groupCopy, 0o644);
  return {
    name: options.name,
    uid,
    gid,
    home,
    shell,
    wrap: (argv) => [
      "unshare",
      "--mount",
      "--propagation",
      "private",
      "--",
      "/bin/sh",
      "-c",
      MOUNT_AND_EXEC,
      "sh",
      passwdCopy,
      groupCopy,
      ...argv,
    ],
  };
}

function withoutEntry(file: string, name: string): string {
  const kept = file.split("\n").filter((line) => line !== "" && !line.startsWith(`${name}:`));
  return kept.length === 0 ? "" : `${kept.join("\n")}\n`;
}

/** A uid (used as gid too) that no account or group of this machine has. */
function freeId(passwd: string, group: string): number {
  const used = new Set<number>();
  for (const line of [...passwd.split("\n"), ...group.split("\n")]) used.add(Number(line.split(":")[2]));
  for (let id = 61_000; id < 65_000; id += 1) if (!used.has(id)) return id;
  throw new Error("no free uid between 61000 and 65000");
}
