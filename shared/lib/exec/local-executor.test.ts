import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { LocalExecutor } from "./local-executor.ts";

const executor = new LocalExecutor();

async function caught(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected a rejection");
}

describe("LocalExecutor.run", () => {
  test("runs argv without a shell and returns output and exit code", async () => {
    const result = await executor.run([
      "sh",
      "-c",
      'printf "%s" "$1"; echo oops >&2; exit 3',
      "sh",
      "$HOME;x",
    ]);
    // "$HOME;x" arrives as a literal argument: nothing re-parses argv.
    expect([result.exitCode, result.stdout, result.stderr, result.truncated]).toEqual([
      3,
      "$HOME;x",
      "oops\n",
      false,
    ]);
    expect(result.durationMs).toBeGreaterThan(0);
  });

  test("`true` exits 0 with empty output", async () => {
    const result = await executor.run(["true"]);
    expect([result.exitCode, result.stdout, result.stderr]).toEqual([0, "", ""]);
  });

  test("kills a command that outlives its timeout, grandchildren included", async () => {
    const started = performance.now();
    const err = await caught(executor.run(["sh", "-c", "sleep 5"], { timeoutMs: 200 }));
    expect(err.code).toBe(ErrorCode.COMMAND_TIMEOUT);
    expect(err.details).toEqual({ program: "sh", timeout_ms: 200 });
    // Had only `sh` been killed, `sleep` would hold stdout open and we would wait the full 5 s.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test("caps unbounded output: keeps the first bytes, sets truncated and kills the writer", async () => {
    const result = await executor.run(["yes"], { maxOutputBytes: 1000, timeoutMs: 5000 });
    expect(result.truncated).toBe(true);
    expect(result.stdout).toBe("y\n".repeat(500));
    expect(result.exitCode).toBe(137); // 128 + SIGKILL
  });

  test("output exactly at the cap is not truncated", async () => {
    const result = await executor.run(["printf", "abcd"], { maxOutputBytes: 4 });
    expect([result.stdout, result.truncated]).toEqual(["abcd", false]);
  });

  test("a program that does not exist is COMMAND_MISSING", async () => {
    const err = await caught(executor.run(["infrastructor-no-such-program"]));
    expect(err.code).toBe(ErrorCode.COMMAND_MISSING);
  });

  test("a file that is not executable is COMMAND_FAILED", async () => {
    const err = await caught(executor.run([join(import.meta.dir, "local-executor.ts")]));
    expect(err.code).toBe(ErrorCode.COMMAND_FAILED);
  });

  test("an empty argv is rejected", async () => {
    expect((await caught(executor.run([]))).code).toBe(ErrorCode.INVALID_ARGUMENT);
  });
});

describe("LocalExecutor files", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "local-executor-"));
    await writeFile(join(dir, "hello.txt"), "hello world\n");
    await mkdir(join(dir, "sub"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("readFile returns the whole file, or its first maxBytes", async () => {
    expect(await executor.readFile(join(dir, "hello.txt"))).toBe("hello world\n");
    expect(await executor.readFile(join(dir, "hello.txt"), { maxBytes: 5 })).toBe("hello");
    expect(await executor.readFile(join(dir, "hello.txt"), { maxBytes: 100 })).toBe("hello world\n");
  });

  test("readFile reads procfs files, whose stat size is 0", async () => {
    expect(await executor.readFile("/proc/self/stat")).toMatch(/^\d+ \(/);
    expect(await executor.readFile("/proc/self/stat", { maxBytes: 3 })).toHaveLength(3);
  });

  test("readFile: ENOENT is NOT_FOUND, other failures READ_FAILED", async () => {
    const missing = await caught(executor.readFile(join(dir, "missing")));
    expect([missing.code, missing.details?.errno]).toEqual([ErrorCode.NOT_FOUND, "ENOENT"]);
    const isDir = await caught(executor.readFile(join(dir, "sub")));
    expect([isDir.code, isDir.details?.errno]).toEqual([ErrorCode.READ_FAILED, "EISDIR"]);
  });

  test("listDir returns entry names", async () => {
    expect((await executor.listDir(dir)).sort()).toEqual(["hello.txt", "sub"]);
    expect((await caught(executor.listDir(join(dir, "missing")))).code).toBe(ErrorCode.NOT_FOUND);
    // A file where a directory was expected: there is no such directory.
    const notDir = await caught(executor.listDir(join(dir, "hello.txt")));
    expect([notDir.code, notDir.details?.errno]).toEqual([ErrorCode.NOT_FOUND, "ENOTDIR"]);
  });

  test("statfs returns block and inode counts of a real filesystem", async () => {
    const s = await executor.statfs(dir);
    expect(s.bsize).toBeGreaterThan(0);
    expect(s.blocks).toBeGreaterThan(0);
    expect(s.bfree).toBeLessThanOrEqual(s.blocks);
    expect(s.bavail).toBeLessThanOrEqual(s.bfree);
    expect(s.ffree).toBeLessThanOrEqual(s.files);
    expect((await caught(executor.statfs(join(dir, "missing")))).code).toBe(ErrorCode.NOT_FOUND);
  });
});
