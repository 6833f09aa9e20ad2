import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { LocalExecutor } from "./local-executor.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "file-stat-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("stat gives type, size and mtime of a file and a directory", async () => {
  const file = join(dir, "dump.sql.gz");
  await writeFile(file, "12345");
  const when = new Date("2026-01-02T03:04:05Z");
  await utimes(file, when, when);
  const executor = new LocalExecutor();
  expect(await executor.stat(file)).toEqual({ type: "file", size_bytes: 5, mtime_ms: when.getTime() });
  expect((await executor.stat(dir)).type).toBe("directory");
});

test("a missing path is NOT_FOUND", async () => {
  await expect(new LocalExecutor().stat(join(dir, "nope"))).rejects.toMatchObject({
    code: ErrorCode.NOT_FOUND,
  });
});
