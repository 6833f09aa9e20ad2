import { describe, expect, test } from "bun:test";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { HangGuard } from "./hang-guard.ts";

describe("HangGuard", () => {
  test("passes results and rejections through", async () => {
    const guard = new HangGuard();
    expect(await guard.run("a", 1000, async () => 42)).toBe(42);
    await expect(guard.run("a", 1000, async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(guard.pending()).toEqual([]);
  });

  test("a call past its deadline rejects COMMAND_TIMEOUT, and is not started again while still hung", async () => {
    const guard = new HangGuard();
    let release: () => void = () => undefined;
    let starts = 0;
    const hung = (): Promise<string> => {
      starts += 1;
      return new Promise((resolve) => {
        release = () => resolve("late");
      });
    };
    await expect(guard.run("statfs /mnt/nfs", 20, hung)).rejects.toMatchObject({
      code: ErrorCode.COMMAND_TIMEOUT,
    });
    await expect(guard.run("statfs /mnt/nfs", 20, hung)).rejects.toThrow("still waiting");
    expect([starts, guard.pending()]).toEqual([1, ["statfs /mnt/nfs"]]);
    // Other keys are unaffected.
    expect(await guard.run("statfs /", 20, async () => "ok")).toBe("ok");
    release();
    await Bun.sleep(0);
    expect(await guard.run("statfs /mnt/nfs", 20, async () => "recovered")).toBe("recovered");
    expect(starts).toBe(1);
  });
});

test("a task that throws synchronously still releases its key", async () => {
  const guard = new HangGuard();
  const throwsNow = (): Promise<never> => {
    throw new Error("sync");
  };
  await expect(guard.run("k", 100, throwsNow)).rejects.toThrow("sync");
  expect(guard.pending()).toEqual([]);
});
