import { afterAll, beforeAll, expect, test } from "bun:test";
import { type SshFixture, startSshFixture } from "@infrastructor/lib/testing/ssh-fixture.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { SshExecutor } from "./ssh-executor.ts";

// A monitoring user whose bash prints from ~/.bashrc: without the probe, every collector would parse the
// banner as its command's output. The pool must refuse the connection and say why.
const BANNER = "welcome to pyenv 2.3";
let noisy: SshFixture;

beforeAll(async () => {
  noisy = await startSshFixture({ startupOutput: BANNER });
});

afterAll(async () => {
  await noisy?.destroy();
});

test("a login shell that prints at start-up is refused with SSH_SHELL_UNUSABLE and what it printed", async () => {
  const exec = new SshExecutor(noisy.pool(), noisy.target);
  const err = await exec.run(["cat", "/proc/loadavg"]).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  const app = err as AppError;
  expect(app.code).toBe(ErrorCode.SSH_SHELL_UNUSABLE);
  expect(app.message).toContain(BANNER);
  expect(app.message).toContain("/bin/sh");
  expect(app.details?.startup_output).toBe(`${BANNER}\n`);
});

test("the refusal is per connection: nothing of the polluted output reaches a caller as data", async () => {
  const pool = noisy.pool();
  const exec = new SshExecutor(pool, noisy.target);
  const results = await Promise.allSettled([exec.run(["true"]), exec.run(["uname", "-r"])]);
  expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  expect(pool.stats().open).toBe(0);
});
