import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import type { EnvelopeError } from "@infrastructor/shared/envelope.ts";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { HangGuard } from "./hang-guard.ts";
import { readMounts } from "./read-mounts.ts";

const executor = new LocalExecutor();

describe("readMounts", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "read-mounts-"));
    await mkdir(join(dir, "proc", "self"), { recursive: true });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const read = async (table: string, hostRoot: string, errors: EnvelopeError[]): Promise<string[]> => {
    await writeFile(join(dir, "proc", "self", "mounts"), table);
    const guard = new HangGuard();
    const mounts = await readMounts(
      { executor, procRoot: join(dir, "proc"), hostRoot, guard, statfsTimeoutMs: 2000 },
      errors,
    );
    return mounts.map((m) => m.mountpoint);
  };

  test("statfs goes to hostRoot + mountpoint and is reported against the mountpoint", async () => {
    await mkdir(join(dir, "host", "data"), { recursive: true });
    const errors: EnvelopeError[] = [];
    const table = "/dev/sdb1 /data ext4 rw 0 0\n/dev/sdc1 /gone ext4 rw 0 0\n";
    expect(await read(table, join(dir, "host"), errors)).toEqual(["/data"]);
    expect(errors).toEqual([
      {
        code: ErrorCode.NOT_FOUND,
        message: expect.stringContaining("/gone"),
        source: "statfs",
        details: expect.objectContaining({ mountpoint: "/gone", errno: "ENOENT" }),
      },
    ]);
  });

  test("a filesystem with zero blocks (this machine's /proc, listed under a disk-like type) is skipped", async () => {
    const errors: EnvelopeError[] = [];
    expect(await read("/dev/fake /proc ext4 rw 0 0\n", "/", errors)).toEqual([]);
    expect(errors).toEqual([]);
  });

  test("an unreadable mount table is one error and no mounts", async () => {
    await rm(join(dir, "proc", "self"), { recursive: true });
    const errors: EnvelopeError[] = [];
    const mounts = await readMounts(
      { executor, procRoot: join(dir, "proc"), hostRoot: "/", guard: new HangGuard(), statfsTimeoutMs: 2000 },
      errors,
    );
    expect(mounts).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ code: ErrorCode.NOT_FOUND, source: "proc/mounts" })]);
  });
});
