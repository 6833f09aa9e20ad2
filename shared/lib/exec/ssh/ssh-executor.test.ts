import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type SshFixture, startSshFixture } from "@infrastructor/lib/testing/ssh-fixture.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { LocalExecutor } from "../local-executor.ts";
import { onlyVanishedEntries, SshExecutor } from "./ssh-executor.ts";
import type { SshPool } from "./ssh-pool.ts";

let fx: SshFixture;
let pool: SshPool;
let ssh: SshExecutor;
const local = new LocalExecutor();
let dir: string;

beforeAll(async () => {
  fx = await startSshFixture();
  pool = fx.pool();
  ssh = new SshExecutor(pool, fx.target);
  dir = await mkdtemp(join(tmpdir(), "ssh-exec-"));
  await writeFile(join(dir, "hello.txt"), "héllo wörld\n");
  await writeFile(join(dir, "line\nbreak"), "x");
  await symlink(join(dir, "hello.txt"), join(dir, "link"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await fx.destroy();
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return (err as AppError).code;
  }
  throw new Error("expected a rejection");
}

describe("SshExecutor.run", () => {
  test("argv arrives intact, exit code and both streams come back", async () => {
    const r = await ssh.run([
      "sh",
      "-c",
      'printf "%s|" "$@"; echo err >&2; exit 3',
      "sh",
      "$(id)",
      "a b",
      "it's",
    ]);
    expect(r.stdout).toBe("$(id)|a b|it's|");
    expect(r.stderr).toBe("err\n");
    expect(r.exitCode).toBe(3);
    expect(r.truncated).toBe(false);
  });

  test("quick commands in parallel keep their exit codes (the status can arrive before the channel is handed over)", async () => {
    // Many sessions at once make sshd's packets for one command (output, exit status, close) arrive in
    // one read: ssh2 then emitted "exit" before a listener existed and every such command read as 255.
    const codes: number[] = [];
    for (let round = 0; round < 6; round++) {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => ssh.run(["sh", "-c", `exit ${(round * 8 + i) % 5}`])),
      );
      codes.push(...results.map((r) => r.exitCode));
    }
    expect(codes).toEqual(Array.from({ length: 48 }, (_, i) => i % 5));
  });

  test("same answer as the local executor for the same command", async () => {
    const argv = ["uname", "-a"];
    expect((await ssh.run(argv)).stdout).toBe((await local.run(argv)).stdout);
  });

  test("timeout: COMMAND_TIMEOUT in about the timeout, and the remote process is killed", async () => {
    const marker = join(dir, "still-running");
    const started = Date.now();
    expect(await codeOf(ssh.run(["sh", "-c", `sleep 2; touch ${marker}`], { timeoutMs: 300 }))).toBe(
      ErrorCode.COMMAND_TIMEOUT,
    );
    expect(Date.now() - started).toBeLessThan(1500);
    await Bun.sleep(2500);
    expect(await Bun.file(marker).exists()).toBe(false);
  });

  test("a command without its own timeout gets the executor's default (MCP_SSH_COMMAND_TIMEOUT)", async () => {
    const bounded = new SshExecutor(pool, fx.target, 300);
    const started = Date.now();
    expect(await codeOf(bounded.run(["sleep", "3"]))).toBe(ErrorCode.COMMAND_TIMEOUT);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  test("a missing program is COMMAND_MISSING, like locally", async () => {
    expect(await codeOf(ssh.run(["no-such-program-xyz", "--help"]))).toBe(ErrorCode.COMMAND_MISSING);
    expect(await codeOf(local.run(["no-such-program-xyz", "--help"]))).toBe(ErrorCode.COMMAND_MISSING);
  });

  test("the output cap truncates and stops the command", async () => {
    const started = Date.now();
    const r = await ssh.run(["yes"], { maxOutputBytes: 10_000, timeoutMs: 5_000 });
    expect(r.truncated).toBe(true);
    expect(r.stdout.length).toBe(10_000);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  test("refuses NUL in an argument before anything runs", async () => {
    expect(await codeOf(ssh.run(["echo", "a\0b"]))).toBe(ErrorCode.INVALID_ARGUMENT);
  });
});

describe("SshExecutor file operations", () => {
  test("readFile matches local, with and without a byte cap", async () => {
    const path = join(dir, "hello.txt");
    expect(await ssh.readFile(path)).toBe("héllo wörld\n");
    expect(await ssh.readFile("/proc/version")).toBe(await local.readFile("/proc/version"));
    expect(await ssh.readFile(path, { maxBytes: 5 })).toBe(await local.readFile(path, { maxBytes: 5 }));
  });

  test("readFile errors carry the local codes", async () => {
    for (const exec of [ssh, local]) {
      expect(await codeOf(exec.readFile(join(dir, "missing")))).toBe(ErrorCode.NOT_FOUND);
      expect(await codeOf(exec.readFile(join(dir, "hello.txt", "below-a-file")))).toBe(ErrorCode.NOT_FOUND);
      expect(await codeOf(exec.readFile(dir))).toBe(ErrorCode.READ_FAILED);
    }
  });

  test("paths are checked before they reach the host", async () => {
    expect(await codeOf(ssh.readFile("relative/path"))).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(await codeOf(ssh.readFile("/etc/passwd\n/etc/shadow"))).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(await codeOf(ssh.listDir("--help"))).toBe(ErrorCode.INVALID_ARGUMENT);
  });

  test("listDir gives the same names as readdir, odd names included", async () => {
    expect((await ssh.listDir(dir)).sort()).toEqual((await local.listDir(dir)).sort());
    expect(await ssh.listDir(dir)).toContain("line\nbreak");
    expect((await ssh.listDir("/proc/self/..")).length).toBeGreaterThan(10);
    expect(await codeOf(ssh.listDir(join(dir, "missing")))).toBe(ErrorCode.NOT_FOUND);
    expect(await codeOf(ssh.listDir(join(dir, "hello.txt")))).toBe(ErrorCode.NOT_FOUND);
  });

  test("entries that vanish while find lists them are not a failure; the directory itself missing is", () => {
    // Captured from a live read of /proc while the same connection ran other commands: their processes
    // exited between find's readdir and its stat, and the whole system collector failed with ENOENT.
    const vanished =
      "find: '/proc/21813': No such file or directory\nfind: '/proc/21821': No such file or directory\n";
    expect(onlyVanishedEntries(vanished, "/proc/")).toBe(true);
    expect(onlyVanishedEntries("find: '/proc/': No such file or directory\n", "/proc/")).toBe(false);
    expect(onlyVanishedEntries("find: '/proc/1/fd': Permission denied\n", "/proc/")).toBe(false);
    expect(onlyVanishedEntries(`${vanished}find: '/proc/x/y': No such file or directory\n`, "/proc/")).toBe(
      false,
    );
    expect(onlyVanishedEntries("", "/proc/")).toBe(false);
  });

  test("statfs matches the local statfs", async () => {
    const [remote, here] = await Promise.all([ssh.statfs("/"), local.statfs("/")]);
    expect(remote.bsize).toBe(here.bsize);
    expect(remote.blocks).toBe(here.blocks);
    expect(remote.files).toBe(here.files);
    expect(Math.abs(remote.bfree - here.bfree)).toBeLessThan(here.blocks / 100);
    expect(await codeOf(ssh.statfs(join(dir, "missing")))).toBe(ErrorCode.NOT_FOUND);
  });

  test("stat follows symlinks and matches the local stat", async () => {
    for (const path of [join(dir, "hello.txt"), join(dir, "link"), dir, "/dev/null"]) {
      const [remote, here] = await Promise.all([ssh.stat(path), local.stat(path)]);
      expect(remote.type).toBe(here.type);
      expect(remote.size_bytes).toBe(here.size_bytes);
      expect(Math.abs(remote.mtime_ms - here.mtime_ms)).toBeLessThan(1);
    }
    expect(await codeOf(ssh.stat(join(dir, "missing")))).toBe(ErrorCode.NOT_FOUND);
  });
});

describe("the pooled connection", () => {
  test("20 calls, 10 of them concurrent, use one connection and at most 8 channels", async () => {
    const before = pool.stats().connectsTotal;
    const fresh = fx.pool();
    const exec = new SshExecutor(fresh, fx.target);
    for (let i = 0; i < 10; i += 1) expect((await exec.run(["echo", String(i)])).stdout).toBe(`${i}\n`);
    const outs = await Promise.all(Array.from({ length: 10 }, (_, i) => exec.run(["echo", String(i)])));
    expect(outs.map((o) => o.stdout)).toEqual(Array.from({ length: 10 }, (_, i) => `${i}\n`));
    expect(fresh.stats()).toEqual({ connectsTotal: 1, open: 1 });
    expect(pool.stats().connectsTotal).toBe(before);
  });

  test("more concurrent commands than sshd's MaxSessions all succeed (the pool queues)", async () => {
    const exec = new SshExecutor(fx.pool(), fx.target);
    const outs = await Promise.all(
      Array.from({ length: 25 }, () => exec.run(["sh", "-c", "sleep 0.2; echo ok"])),
    );
    expect(outs.every((o) => o.stdout === "ok\n" && o.exitCode === 0)).toBe(true);
  });
});
