import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type SshFixture, startSshFixture } from "@infrastructor/lib/testing/ssh-fixture.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { freePort } from "../../../../scripts/lib/free-port.ts";
import { SshExecutor } from "./ssh-executor.ts";

let fx: SshFixture;
let dir: string;

beforeAll(async () => {
  fx = await startSshFixture();
  dir = await mkdtemp(join(tmpdir(), "ssh-pool-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await fx.destroy();
});

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error("expected a rejection");
}

describe("SshPool connections", () => {
  test("concurrent first callers share one connect", async () => {
    const pool = fx.pool();
    const exec = new SshExecutor(pool, fx.target);
    await Promise.all(Array.from({ length: 6 }, () => exec.run(["true"])));
    expect(pool.stats()).toEqual({ connectsTotal: 1, open: 1 });
  });

  test("an idle connection closes, and the next call dials again", async () => {
    const pool = fx.pool({ idleTimeoutMs: 200 });
    const exec = new SshExecutor(pool, fx.target);
    await exec.run(["true"]);
    expect(pool.stats().open).toBe(1);
    await Bun.sleep(500);
    expect(pool.stats().open).toBe(0);
    expect((await exec.run(["echo", "again"])).stdout).toBe("again\n");
    expect(pool.stats().connectsTotal).toBe(2);
  });

  test("nothing listening: HOST_UNREACHABLE at once, with host, port and reason", async () => {
    const pool = fx.pool();
    const port = freePort();
    const err = await errorOf(new SshExecutor(pool, { ...fx.target, port }).run(["true"]));
    expect(err.code).toBe(ErrorCode.HOST_UNREACHABLE);
    expect(err.details).toMatchObject({ host: fx.target.host, port, reason: "ECONNREFUSED" });
  });

  test("a silent host: HOST_UNREACHABLE after the connect timeout, not a hang", async () => {
    // A listener that accepts and never speaks: the SSH handshake cannot complete.
    const silent = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    try {
      const pool = fx.pool({ connectTimeoutMs: 400 });
      const started = Date.now();
      const err = await errorOf(new SshExecutor(pool, { ...fx.target, port: silent.port }).run(["true"]));
      expect(err.code).toBe(ErrorCode.HOST_UNREACHABLE);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      silent.stop(true);
    }
  });

  test("a key sshd does not accept: HOST_UNREACHABLE, reason authentication failed", async () => {
    const other = join(dir, "other_key");
    const keygen = Bun.spawn(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other]);
    expect(await keygen.exited).toBe(0);
    const err = await errorOf(new SshExecutor(fx.pool(), { ...fx.target, keyPath: other }).run(["true"]));
    expect(err.code).toBe(ErrorCode.HOST_UNREACHABLE);
    expect(err.details?.reason).toBe("authentication failed");
  });

  test("an ssh-agent target without an agent socket is a config error, not a hang", async () => {
    const err = await errorOf(new SshExecutor(fx.pool(), { ...fx.target, keyPath: null }).run(["true"]));
    expect(err.code).toBe(ErrorCode.CONFIG_INVALID);
  });

  test("a target without a key file logs in through a real ssh-agent holding the key", async () => {
    const socket = join(dir, "agent.sock");
    const agent = Bun.spawn(["ssh-agent", "-D", "-a", socket], { stdout: "ignore", stderr: "ignore" });
    try {
      for (let i = 0; i < 100 && !(await Bun.file(socket).exists()); i++) await Bun.sleep(20);
      const env = { ...process.env, SSH_AUTH_SOCK: socket };
      const empty = new SshExecutor(fx.pool({ agentSocket: socket }), { ...fx.target, keyPath: null });
      // An agent without the key: refused as authentication, like a wrong key file.
      expect((await errorOf(empty.run(["true"]))).details?.reason).toBe("authentication failed");
      const add = Bun.spawn(["ssh-add", fx.target.keyPath ?? ""], { env, stdout: "ignore", stderr: "pipe" });
      expect(await add.exited).toBe(0);
      const pool = fx.pool({ agentSocket: socket });
      const exec = new SshExecutor(pool, { ...fx.target, keyPath: null });
      expect((await exec.run(["echo", "via-agent"])).stdout).toBe("via-agent\n");
      expect(pool.stats().connectsTotal).toBe(1);
    } finally {
      agent.kill();
      await agent.exited;
    }
  });

  test("sshd stopped: HOST_UNREACHABLE quickly; started again: the pool reconnects", async () => {
    const pool = fx.pool();
    const exec = new SshExecutor(pool, fx.target);
    await exec.run(["true"]);
    await fx.sshd.stop();
    try {
      await Bun.sleep(100); // let the client notice the dropped connection
      const started = Date.now();
      const err = await errorOf(exec.run(["true"]));
      expect(err.code).toBe(ErrorCode.HOST_UNREACHABLE);
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await fx.sshd.start();
    }
    expect((await exec.run(["echo", "back"])).stdout).toBe("back\n");
    expect(pool.stats()).toMatchObject({ open: 1 });
    expect(pool.stats().connectsTotal).toBeGreaterThanOrEqual(2);
  });

  test("a connection dropped between calls is replaced without the caller seeing an error", async () => {
    const pool = fx.pool();
    const exec = new SshExecutor(pool, fx.target);
    await exec.run(["true"]);
    await fx.sshd.stop();
    await fx.sshd.start();
    expect((await exec.run(["echo", "fresh"])).stdout).toBe("fresh\n");
    expect(pool.stats().connectsTotal).toBe(2);
  });
});

describe("host keys", () => {
  test("the first connection pins the SHA-256 fingerprint ssh-keygen prints", async () => {
    await new SshExecutor(fx.pool(), fx.target).run(["true"]);
    const pinned = await fx.store.find(fx.target.host, fx.target.port);
    expect(pinned?.fingerprint).toBe(fx.sshd.hostKeyFingerprint);
    expect(pinned?.keyType).toBe("ssh-ed25519");
  });

  test("a known_hosts entry is honoured (plain and hashed); a conflicting one refuses", async () => {
    await fx.store.forget(fx.target.host, fx.target.port);
    const name = `[${fx.target.host}]:${fx.target.port}`;
    const plain = join(dir, "known_hosts_plain");
    await writeFile(plain, `# ours\nother.example ssh-rsa AAAA\n${name} ${fx.sshd.hostKeyLine}\n`);
    const hashed = join(dir, "known_hosts_hashed");
    await writeFile(hashed, `${name} ${fx.sshd.hostKeyLine}\n`);
    expect(await Bun.spawn(["ssh-keygen", "-q", "-H", "-f", hashed], { stderr: "ignore" }).exited).toBe(0);
    expect(await Bun.file(hashed).text()).toStartWith("|1|");
    for (const knownHostsPath of [plain, hashed]) {
      const pool = fx.pool({ hostKeys: { store: fx.store, knownHostsPath } });
      expect((await new SshExecutor(pool, fx.target).run(["echo", "ok"])).stdout).toBe("ok\n");
    }
    // Accepted by known_hosts: nothing pinned behind the operator's back.
    expect(await fx.store.find(fx.target.host, fx.target.port)).toBeUndefined();

    const otherKey = join(dir, "other_host_key");
    expect(await Bun.spawn(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", otherKey]).exited).toBe(0);
    const otherLine = (await Bun.file(`${otherKey}.pub`).text()).split(" ").slice(0, 2).join(" ");
    const conflicting = join(dir, "known_hosts_conflicting");
    await writeFile(conflicting, `${name} ${otherLine}\n`);
    const pool = fx.pool({ hostKeys: { store: fx.store, knownHostsPath: conflicting } });
    const err = await errorOf(new SshExecutor(pool, fx.target).run(["true"]));
    expect(err.code).toBe(ErrorCode.HOST_KEY_MISMATCH);
    expect(err.details?.presented_fingerprint).toBe(fx.sshd.hostKeyFingerprint);
    expect(err.message).toContain("ssh-keygen -R");
  });

  test("a changed host key is refused with both fingerprints and the re-trust command", async () => {
    await new SshExecutor(fx.pool(), fx.target).run(["true"]);
    const old = fx.sshd.hostKeyFingerprint;
    await fx.sshd.restartWithNewHostKey();
    const err = await errorOf(new SshExecutor(fx.pool(), fx.target).run(["true"]));
    expect(err.code).toBe(ErrorCode.HOST_KEY_MISMATCH);
    expect(err.message).toContain(old);
    expect(err.message).toContain(fx.sshd.hostKeyFingerprint);
    expect(err.message).toContain("trust-host loopback");
    // Forgetting the pin (what trust-host does) lets the next connection pin the new key.
    expect(await fx.store.forget(fx.target.host, fx.target.port)).toBe(true);
    expect((await new SshExecutor(fx.pool(), fx.target).run(["echo", "ok"])).stdout).toBe("ok\n");
    expect((await fx.store.find(fx.target.host, fx.target.port))?.fingerprint).toBe(
      fx.sshd.hostKeyFingerprint,
    );
  });
});
