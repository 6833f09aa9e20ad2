import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { deviceTarget } from "@infrastructor/lib/exec/ssh/device-target.ts";
import { SshExecutor } from "@infrastructor/lib/exec/ssh/ssh-executor.ts";
import { type SshFixture, startSshFixture } from "@infrastructor/lib/testing/ssh-fixture.ts";
import { type AppError, ErrorCode } from "@infrastructor/shared/errors.ts";

let fx: SshFixture;
const CLI = join(import.meta.dir, "cli.ts");

beforeAll(async () => {
  fx = await startSshFixture();
  await fx.db.insertInto("devices").values({ hostname: "box" }).execute();
});

afterAll(async () => {
  await fx.destroy();
});

/** The CLI as an operator runs it: its own process, DATABASE_URL from the environment. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = Bun.spawn(["bun", CLI, ...args], {
    env: { PATH: process.env.PATH, DATABASE_URL: fx.database.url, MCP_SSH_KNOWN_HOSTS: "none" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  return { code: await proc.exited, stdout, stderr };
}

test("usage errors exit 2 with the usage text", async () => {
  for (const args of [
    [],
    ["frobnicate"],
    ["trust-host"],
    ["set-target", "box", "--host", "h"],
    ["set-target", "box", "--host", "h", "--user", "u", "--agent", "--key", "/k"],
    ["set-target", "box", "--bogus"],
  ]) {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("usage:");
  }
});

test("set-target stores the target; bad values and unknown devices are refused", async () => {
  const { host, port, user, keyPath } = fx.sshd;
  const r = await cli(
    "set-target",
    "box",
    "--host",
    host,
    "--port",
    String(port),
    "--user",
    user,
    "--key",
    keyPath,
  );
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(await deviceTarget(fx.db, "box")).toEqual({ host, port, user, keyPath, device: "box" });

  const bad = await cli("set-target", "box", "--host", "h; rm -rf /", "--user", user, "--agent");
  expect(bad.code).toBe(1);
  expect(bad.stderr).toStartWith("INVALID_ARGUMENT:");
  const unknown = await cli("set-target", "nope", "--host", host, "--user", user, "--agent");
  expect(unknown.stderr).toStartWith("NOT_FOUND:");
  // A typo names the device meant, as the tools do.
  const typo = await cli("set-target", "bxo", "--host", host, "--user", user, "--agent");
  expect(typo.stderr).toContain('no device named "bxo"; did you mean box?');
});

test("a changed host key is refused until trust-host re-pins it", async () => {
  const target = await deviceTarget(fx.db, "box");
  await new SshExecutor(fx.pool(), target).run(["true"]);
  await fx.sshd.restartWithNewHostKey();
  let refused: unknown;
  try {
    await new SshExecutor(fx.pool(), target).run(["true"]);
  } catch (err) {
    refused = err;
  }
  expect((refused as AppError).code).toBe(ErrorCode.HOST_KEY_MISMATCH);
  expect((refused as AppError).message).toContain("bun mcp/src/cli.ts trust-host box");

  const r = await cli("trust-host", "box");
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`pinned ${fx.sshd.hostKeyFingerprint} (ssh-ed25519)`);
  expect((await new SshExecutor(fx.pool(), target).run(["echo", "trusted"])).stdout).toBe("trusted\n");
});

test("trust-host on a device without a target says so", async () => {
  await fx.db.insertInto("devices").values({ hostname: "bare" }).execute();
  const r = await cli("trust-host", "bare");
  expect(r.code).toBe(1);
  expect(r.stderr).toStartWith("CONFIG_INVALID:");
});
