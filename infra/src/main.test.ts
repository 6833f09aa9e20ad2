import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SshExecutor } from "@infrastructor/lib/exec/ssh/ssh-executor.ts";
import { type SshFixture, startSshFixture } from "@infrastructor/lib/testing/ssh-fixture.ts";
import { main } from "./main.ts";

let fx: SshFixture;

beforeAll(async () => {
  fx = await startSshFixture();
  const { host, port, user, keyPath } = fx.sshd;
  await fx.db
    .insertInto("devices")
    .values([
      { hostname: "box", ssh_host: host, ssh_port: port, ssh_user: user, ssh_key_path: keyPath },
      { hostname: "bare" },
    ])
    .execute();
});

afterAll(async () => {
  await fx.destroy();
});

/** infra as the operator runs it, in process: DATABASE_URL from the environment, known_hosts off. */
async function infra(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    argv,
    { DATABASE_URL: fx.database.url, MCP_SSH_KNOWN_HOSTS: "none" },
    { out: (t) => out.push(t), err: (t) => err.push(t), progress: { isTTY: false, write: () => {} } },
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("infra devices trust-host-key (the MCP CLI's trust-host work, lib/exec/ssh/trust-host.ts)", () => {
  test("after a real key change, the old pin is forgotten and the key presented now is pinned", async () => {
    const target = { ...fx.target, device: "box" };
    await new SshExecutor(fx.pool(), target).run(["true"]);
    const old = await fx.store.find(fx.sshd.host, fx.sshd.port);
    await fx.sshd.restartWithNewHostKey();

    const r = await infra("devices", "trust-host-key", "box");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const where = `${fx.sshd.host}:${fx.sshd.port}`;
    expect(r.out).toBe(
      `forgot ${old?.fingerprint} (${old?.keyType}) for ${where}\n` +
        `pinned ${fx.sshd.hostKeyFingerprint} (ssh-ed25519) for ${where}`,
    );
    expect((await new SshExecutor(fx.pool(), target).run(["echo", "trusted"])).stdout).toBe("trusted\n");
  });

  test("a device without a target or an unknown one fails with its code and exit 1", async () => {
    const bare = await infra("devices", "trust-host-key", "bare");
    expect(bare.code).toBe(1);
    expect(bare.err).toStartWith("CONFIG_INVALID: device bare has no SSH target");
    const unknown = await infra("devices", "trust-host-key", "nope");
    expect(unknown.code).toBe(1);
    expect(unknown.err).toStartWith("NOT_FOUND:");
  });

  test("no device, two devices or an option: exit 2 with the usage", async () => {
    for (const args of [[], ["box", "bare"], ["box", "--force"]]) {
      const r = await infra("devices", "trust-host-key", ...args);
      expect(r.code).toBe(2);
      expect(r.err).toContain("devices trust-host-key <device>");
    }
  });
});
